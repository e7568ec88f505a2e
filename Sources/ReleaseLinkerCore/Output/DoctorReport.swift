/// What `release-linker doctor` prints: every resolved setting with its source, the token's source and
/// kind (never its value), then whether GitLab answers and the token can read the release.
public struct DoctorReport: Sendable {
  public let configuration: Configuration
  public let context: Context

  public init(configuration: Configuration, context: Context) {
    self.configuration = configuration
    self.context = context
  }

  private func line(_ text: String) { context.sink.standardOutput(text + "\n") }

  private func setting(_ label: String, _ value: String, _ source: SettingSource) {
    line("  " + padded(label) + value + "  (\(source))")
  }

  private func missing(_ label: String, _ error: any Error) {
    let reason = (error as? any ReleaseLinkerError)?.message ?? "\(error)"
    line("  " + padded(label) + "not set: " + reason)
  }

  private func padded(_ label: String) -> String {
    label + String(repeating: " ", count: max(1, 14 - label.count))
  }

  /// Prints the settings and the checks to the context's standard output; returns the exit status:
  /// 0 when every check passed, 64 when settings are missing, else the failing check's status.
  public func run() -> ExitStatus {
    line("Settings:")
    var usageProblem = false
    let apiURL = try? configuration.apiURL()
    do {
      let value = try configuration.apiURL()
      setting("API URL", value.value, value.source)
    } catch {
      missing("API URL", error)
      usageProblem = true
    }
    var project: ProjectIdentifier?
    do {
      let value = try configuration.project()
      project = value.value
      setting("project", value.value.rawValue, value.source)
    } catch {
      missing("project", error)
      usageProblem = true
    }
    var tag: String?
    do {
      let value = try configuration.tag()
      tag = value.value
      setting("tag", value.value, value.source)
    } catch {
      missing("tag", error)
      usageProblem = true
    }
    optional("project URL", neededBy: "publish, plan and scan") { try configuration.projectURL() }
    optional("job id", neededBy: "publish, plan and scan") { try configuration.jobID() }
    optional("job name", neededBy: "--ref-urls") { try configuration.jobName() }
    let root = configuration.root(currentDirectory: context.currentDirectory)
    setting("root", root.value, root.source)
    var token: Token?
    do {
      let value = try configuration.token()
      token = value
      line(
        "  " + padded("token") + "\(value.kind.headerName) header, value hidden  (\(value.source))")
    } catch {
      missing("token", error)
      usageProblem = true
    }
    if let bundle = configuration.caBundle() {
      switch bundle.value {
      case .file(let path): setting("CA bundle", "system bundle + \(path)", bundle.source)
      case .pem: setting("CA bundle", "system bundle + inline PEM", bundle.source)
      }
    } else {
      line("  " + padded("CA bundle") + "system bundle  (default)")
    }
    for (label, read) in [
      ("timeout", { try configuration.timeout().map { "\(Self.number($0)) s" } }),
      ("retries", { try configuration.retries().map(String.init) }),
      ("concurrency", { try configuration.concurrency().map(String.init) }),
    ] as [(String, () throws -> Setting<String>)] {
      do {
        let value = try read()
        setting(label, value.value, value.source)
      } catch {
        missing(label, error)
        usageProblem = true
      }
    }
    for variable in [
      "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
    ]
    where context.environment[variable] != nil {
      // A proxy URL may hold credentials: say that it is set, not what it is.
      line("  " + padded("proxy") + "set  (variable \(variable))")
    }

    line("")
    line("Checks:")
    guard !usageProblem, let apiURL, let project, let tag, token != nil else {
      line("  [skip] GitLab was not contacted: settings above are missing or invalid.")
      return .usage
    }
    let client: ReleaseLinksClient
    do {
      let connection = try GitLabConnection.make(configuration: configuration, context: context)
      client = ReleaseLinksClient(connection: connection, project: project, tag: tag)
    } catch let error as any ReleaseLinkerError {
      line("  [fail] \(error.message)")
      return error.exitStatus
    } catch {
      line("  [fail] \(error)")
      return .failures
    }
    do {
      _ = try client.releaseDocument()
      line("  [pass] GitLab answers at \(apiURL.value).")
      line("  [pass] The token can read the release '\(tag)' of project '\(project)'.")
      return .success
    } catch let error as GitLabAPIError {
      line("  [pass] GitLab answers at \(apiURL.value).")
      line(
        "  [fail] The token cannot read the release '\(tag)' of project '\(project)': \(error.message)"
      )
      return error.exitStatus
    } catch let error as any ReleaseLinkerError {
      line("  [fail] GitLab does not answer at \(apiURL.value): \(error.message)")
      return error.exitStatus
    } catch {
      line("  [fail] \(error)")
      return .failures
    }
  }

  private func optional(
    _ label: String, neededBy users: String, _ read: () throws -> Setting<String>
  ) {
    do {
      let value = try read()
      setting(label, value.value, value.source)
    } catch {
      line("  " + padded(label) + "not set (needed by \(users))")
    }
  }

  private static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}

extension Setting {
  fileprivate func map<T>(_ transform: (Value) -> T) -> Setting<T> {
    Setting<T>(transform(value), from: source)
  }
}
