/// `release-linker doctor`: resolves every setting, then checks that GitLab answers, that the token
/// can read the release and may write its links, which version the server runs and what its rate
/// limit says. The findings are a ``DoctorReport``; the exit status says how it went.
public enum DoctorJob {
  /// Runs the checks and prints the report to the context's standard output. Returns 0 when every
  /// check passed, 64 when settings are missing, else the failing check's status.
  public static func run(configuration: Configuration, context: Context) -> ExitStatus {
    var report = DoctorReport()
    let status = check(configuration: configuration, context: context, into: &report)
    context.sink.standardOutput(report.render())
    return status
  }

  /// Fills in `report` and returns the exit status, without printing.
  public static func check(
    configuration: Configuration, context: Context, into report: inout DoctorReport
  ) -> ExitStatus {
    guard let target = resolveSettings(configuration, context: context, into: &report) else {
      report.checks.append(
        (.skip, "GitLab was not contacted: settings above are missing or invalid."))
      return .usage
    }
    return checkGitLab(target, configuration: configuration, context: context, into: &report)
  }

  /// What the checks need once every required setting resolved.
  private struct Target {
    var apiURL: String
    var project: ProjectIdentifier
    var tag: String
  }

  /// Lists every setting with its source; nil when a required one is missing or invalid.
  private static func resolveSettings(
    _ configuration: Configuration, context: Context, into report: inout DoctorReport
  ) -> Target? {
    var complete = true
    func required<T>(_ label: String, _ read: () throws -> Setting<T>, _ show: (T) -> String) -> T?
    {
      do {
        let value = try read()
        report.settings.append(.value(label: label, value: show(value.value), source: value.source))
        return value.value
      } catch {
        report.settings.append(.missing(label: label, reason: reason(error)))
        complete = false
        return nil
      }
    }
    func optional(_ label: String, neededBy users: String, _ read: () throws -> Setting<String>) {
      if let value = try? read() {
        report.settings.append(.value(label: label, value: value.value, source: value.source))
      } else {
        report.settings.append(.unset(label: label, neededBy: users))
      }
    }

    // A URL may carry a user and password: show it without them.
    let apiURL = required("API URL", configuration.apiURL) {
      SecretRedactor.redactingUserInfo(in: $0)
    }.map { SecretRedactor.redactingUserInfo(in: $0) }
    let project = required("project", configuration.project) { $0.rawValue }
    let tag = required("tag", configuration.tag) { $0 }
    optional("project URL", neededBy: "publish, plan and scan", configuration.projectURL)
    optional("job id", neededBy: "publish, plan and scan", configuration.jobID)
    optional("job name", neededBy: "--ref-urls", configuration.jobName)
    let root = configuration.root(currentDirectory: context.currentDirectory)
    report.settings.append(.value(label: "root", value: root.value, source: root.source))
    _ = required("token", { try tokenSetting(configuration) }, { $0 })
    report.settings.append(caBundleLine(configuration))
    if let version = configuration.serverVersion() {
      report.settings.append(
        .value(label: "GitLab version", value: version.value.text, source: version.source))
    }
    _ = required("timeout", configuration.timeout) { "\(number($0)) s" }
    _ = required("retries", configuration.retries) { String($0) }
    _ = required("max wait", configuration.maxWait) { "\(number($0)) s" }
    _ = required("concurrency", configuration.concurrency) { String($0) }
    for variable in [
      "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
    ]
    where context.environment[variable] != nil {
      // A proxy URL may hold credentials: say that it is set, not what it is.
      report.settings.append(
        .value(label: "proxy", value: "set", source: .environment(variable)))
    }
    guard complete, let apiURL, let project, let tag else { return nil }
    return Target(apiURL: apiURL, project: project, tag: tag)
  }

  /// The token's kind and source, never its value.
  private static func tokenSetting(_ configuration: Configuration) throws -> Setting<String> {
    let token = try configuration.token()
    return Setting(
      "\(token.kind.displayName), sent as \(token.kind.headerDescription), value hidden",
      from: token.source)
  }

  private static func caBundleLine(_ configuration: Configuration) -> DoctorReport.SettingLine {
    guard let bundle = configuration.caBundle() else {
      return .value(label: "CA bundle", value: "system bundle", source: .defaultValue)
    }
    switch bundle.value {
    case .file(let path):
      return .value(label: "CA bundle", value: "system bundle + \(path)", source: bundle.source)
    case .pem:
      return .value(label: "CA bundle", value: "system bundle + inline PEM", source: bundle.source)
    }
  }

  /// Asks GitLab for the release: does the API answer, and may the token read it?
  private static func checkGitLab(
    _ target: Target, configuration: Configuration, context: Context,
    into report: inout DoctorReport
  ) -> ExitStatus {
    let client: ReleaseLinksClient
    do {
      let connection = try GitLabConnection.make(configuration: configuration, context: context)
      client = ReleaseLinksClient(connection: connection, project: target.project, tag: target.tag)
    } catch {
      report.checks.append((.fail, reason(error)))
      return exitStatus(error)
    }
    let release = "the release '\(target.tag)' of project '\(target.project)'"
    let status: ExitStatus
    do {
      _ = try client.releaseDocument()
      report.checks.append((.pass, "GitLab answers at \(target.apiURL)."))
      report.checks.append((.pass, "The token can read \(release)."))
      status = .success
    } catch let error as GitLabAPIError where error.isUnknownRoute {
      report.checks.append(
        (
          .fail,
          "The server at \(target.apiURL) does not answer like GitLab's API: \(error.message)"
        ))
      return error.exitStatus
    } catch let error as UnexpectedResponseError {
      report.checks.append(
        (
          .fail,
          "The server at \(target.apiURL) does not answer like GitLab's API: \(error.message)"
        ))
      return error.exitStatus
    } catch let error as GitLabAPIError {
      report.checks.append((.pass, "GitLab answers at \(target.apiURL)."))
      report.checks.append((.fail, "The token cannot read \(release): \(error.message)"))
      status = error.exitStatus
    } catch {
      report.checks.append((.fail, "GitLab does not answer at \(target.apiURL): \(reason(error))"))
      return exitStatus(error)
    }
    checkVersion(configuration: configuration, connection: client.connection, into: &report)
    let permission = checkWritePermission(client: client, into: &report)
    checkRateLimit(client.connection.transport.pacer, into: &report)
    return status == .success ? permission : status
  }

  /// The version decides whether a link's path is sent as `direct_asset_path` (15.9 and later) or
  /// `filepath`.
  private static func checkVersion(
    configuration: Configuration, connection: GitLabConnection, into report: inout DoctorReport
  ) {
    let version: GitLabVersion?
    let origin: String
    if let setting = configuration.serverVersion() {
      version = setting.value
      origin = "CI_SERVER_VERSION"
    } else if connection.token.kind == .jobToken {
      report.checks.append(
        (
          .skip,
          "The server's version is not known: CI_SERVER_VERSION is not set and GET /version "
            + "refuses job tokens. Links are sent with direct_asset_path (GitLab 15.9 and later)."
        ))
      return
    } else {
      version = (try? connection.serverVersion()) ?? nil
      origin = "GET /version"
    }
    guard let version else {
      report.checks.append(
        (
          .skip,
          "The server did not tell its version (\(origin)). Links are sent with "
            + "direct_asset_path (GitLab 15.9 and later)."
        ))
      return
    }
    let parameter = LinkPathParameter.forServer(version)
    let sent =
      parameter == .filepath
      ? "filepath, as GitLab before 15.9 takes the path" : "direct_asset_path"
    report.checks.append(
      (.pass, "GitLab \(version.text) (from \(origin)): links are sent with \(sent)."))
  }

  /// Whether the token may write the release's links: the role GitLab states for access and OAuth
  /// tokens; nothing can be asked for a job token.
  private static func checkWritePermission(
    client: ReleaseLinksClient, into report: inout DoctorReport
  ) -> ExitStatus {
    guard client.connection.token.kind != .jobToken else {
      report.checks.append(
        (
          .skip,
          "Write permission could not be checked: GitLab has no API that tells what a job token may "
            + "write. It acts with the role of the user who started the pipeline, who needs at "
            + "least Developer (and, for a protected tag, the right to create it)."
        ))
      return .success
    }
    let level: Int?
    do {
      level = try client.projectAccessLevel()
    } catch {
      report.checks.append(
        (.skip, "Write permission could not be checked: \(reason(error))"))
      return .success
    }
    guard let level else {
      report.checks.append(
        (
          .skip,
          "Write permission could not be checked: GET /projects/\(client.project) does not state "
            + "the token's role (an administrator's or a bot's token may still write)."
        ))
      return .success
    }
    let role = roleName(level)
    if level >= 30 {
      report.checks.append(
        (.pass, "The token may write release links: its role in the project is \(role)."))
      return .success
    }
    report.checks.append(
      (
        .fail,
        "The token may not write release links: its role in the project is \(role), and writing "
          + "needs at least Developer."
      ))
    return .noPermission
  }

  /// The rate-limit headers of GitLab's last answer, or that there were none.
  private static func checkRateLimit(_ pacer: RateLimitPacer, into report: inout DoctorReport) {
    guard let seen = pacer.latestHeaders else {
      report.checks.append(
        (
          .pass,
          "GitLab's answers carried no rate-limit headers: no limit is known, requests are not "
            + "paced until one is."
        ))
      return
    }
    let lines = seen.lines.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
    var sentence = "Rate limit headers seen: \(lines)."
    if let remaining = seen.remaining, let reset = seen.reset {
      sentence +=
        " \(remaining) request\(remaining == 1 ? "" : "s") left until "
        + "\(ISO8601Time.format(reset)); publish paces its requests to stay under the limit."
    }
    report.checks.append((.pass, sentence))
  }

  private static func roleName(_ level: Int) -> String {
    switch level {
    case ..<10: "none (\(level))"
    case 10..<15: "Guest"
    case 15..<20: "Planner"
    case 20..<30: "Reporter"
    case 30..<40: "Developer"
    case 40..<50: "Maintainer"
    default: "Owner"
    }
  }

  private static func reason(_ error: any Error) -> String {
    (error as? any ReleaseLinkerError)?.message ?? "\(error)"
  }

  private static func exitStatus(_ error: any Error) -> ExitStatus {
    (error as? any ReleaseLinkerError)?.exitStatus ?? .failures
  }

  private static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
