import FoundationEssentials

/// Resolves every setting as flag > environment > default, remembering where each value came from.
///
/// Each accessor throws a ``UsageError`` naming both the flag and the variable when a required setting
/// is missing, so a command asks only for what it needs.
public struct Configuration: Sendable {
  public let input: ConfigurationInput
  public let environment: Environment

  public init(input: ConfigurationInput, environment: Environment) {
    self.input = input
    self.environment = environment
  }

  /// The API root, e.g. `https://gitlab.example.com/api/v4`, without a trailing slash.
  public func apiURL() throws -> Setting<String> {
    let resolved: Setting<String>
    if let flag = input.apiURL {
      resolved = Setting(flag, from: .flag("--api-url"))
    } else if let value = environment["CI_API_V4_URL"] {
      resolved = Setting(value, from: .environment("CI_API_V4_URL"))
    } else if let server = environment["CI_SERVER_URL"] {
      resolved = Setting(
        Self.trimmingSlashes(server) + "/api/v4", from: .environment("CI_SERVER_URL"))
    } else {
      throw UsageError(
        "No GitLab API URL: pass --api-url or set CI_API_V4_URL (or CI_SERVER_URL).")
    }
    let value = Self.trimmingSlashes(resolved.value)
    guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
      throw UsageError(
        "The API URL '\(SecretRedactor.redactingUserInfo(in: value))' (from \(resolved.source)) must "
          + "start with http:// or https://.")
    }
    return Setting(value, from: resolved.source)
  }

  /// The project: a numeric id or a full path such as `group/sub/project`.
  public func project() throws -> Setting<ProjectIdentifier> {
    let raw = try required(
      flag: ("--project", input.project), variables: ["CI_PROJECT_ID", "CI_PROJECT_PATH"],
      what: "project")
    return Setting(ProjectIdentifier(raw.value), from: raw.source)
  }

  /// The release's tag.
  public func tag() throws -> Setting<String> {
    try required(flag: ("--tag", input.tag), variables: ["CI_COMMIT_TAG"], what: "release tag")
  }

  /// The project's web URL used in derived links, e.g. `https://gitlab.example.com/group/project`.
  public func projectURL() throws -> Setting<String> {
    let raw = try required(
      flag: ("--project-url", input.projectURL), variables: ["CI_PROJECT_URL"], what: "project URL")
    return Setting(Self.trimmingSlashes(raw.value), from: raw.source)
  }

  /// The job whose artifacts the derived URLs point at. An empty or non-numeric value is refused,
  /// never replaced: `--job-id ""` must not fall back to the running job's own `CI_JOB_ID`.
  public func jobID() throws -> Setting<String> {
    if let flag = input.jobID {
      return Setting(try JobIdentifier.checked(flag, named: "--job-id"), from: .flag("--job-id"))
    }
    let value = try required(flag: ("--job-id", nil), variables: ["CI_JOB_ID"], what: "job id")
    return Setting(try JobIdentifier.checked(value.value, named: "CI_JOB_ID"), from: value.source)
  }

  /// The job name used by `--ref-urls`.
  public func jobName() throws -> Setting<String> {
    try required(flag: ("--job-name", input.jobName), variables: ["CI_JOB_NAME"], what: "job name")
  }

  /// The folder artifact paths are relative to; the current directory when nothing else is set.
  public func root(currentDirectory: String) -> Setting<String> {
    if let flag = input.root { return Setting(flag, from: .flag("--root")) }
    if let value = environment["CI_PROJECT_DIR"] {
      return Setting(value, from: .environment("CI_PROJECT_DIR"))
    }
    return Setting(currentDirectory, from: .defaultValue)
  }

  /// The token: `--token-file`, else `GITLAB_TOKEN`, else `CI_JOB_TOKEN`; sent as its kind requires
  /// whatever variable it came in (see ``TokenClassification``). A token that cannot call the Releases
  /// API, such as a deploy token, is refused here, before any request.
  public func token() throws -> Token {
    let (secret, source) = try tokenSecret()
    switch TokenClassification.of(secret, jobToken: environment["CI_JOB_TOKEN"]) {
    case .usable(let kind):
      return Token(secret, kind: kind, source: source)
    case .refused(let kind, let reason):
      throw UsageError("The token from \(source) is a \(kind): \(reason).")
    }
  }

  private func tokenSecret() throws -> (String, SettingSource) {
    if let path = input.tokenFile {
      let contents: String
      do {
        contents = try String(contentsOfFile: path, encoding: .utf8)
      } catch {
        throw UsageError("Cannot read the token file '\(path)' given with --token-file.")
      }
      let secret = String(
        contents.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
      guard !secret.isEmpty else {
        throw UsageError("The token file '\(path)' given with --token-file is empty.")
      }
      return (secret, .file(path))
    }
    if let secret = environment["GITLAB_TOKEN"] { return (secret, .environment("GITLAB_TOKEN")) }
    if let secret = environment["CI_JOB_TOKEN"] { return (secret, .environment("CI_JOB_TOKEN")) }
    throw UsageError(
      "No token: set GITLAB_TOKEN (an access token) or CI_JOB_TOKEN (the job token, set by GitLab CI), "
        + "or pass --token-file FILE.")
  }

  /// The GitLab version `CI_SERVER_VERSION` names (GitLab CI sets it, e.g. `15.8.1-ee`), or nil when
  /// it is unset or unreadable.
  public func serverVersion() -> Setting<GitLabVersion>? {
    guard let text = environment["CI_SERVER_VERSION"], let version = GitLabVersion(text) else {
      return nil
    }
    return Setting(version, from: .environment("CI_SERVER_VERSION"))
  }

  /// Extra CA certificates to trust: a file path, or inline PEM (`ADDITIONAL_CA_CERT_BUNDLE`).
  public func caBundle() -> Setting<CABundle>? {
    if let path = input.caFile { return Setting(.file(path), from: .flag("--ca-file")) }
    if let path = environment["CI_SERVER_TLS_CA_FILE"] {
      return Setting(.file(path), from: .environment("CI_SERVER_TLS_CA_FILE"))
    }
    if let value = environment["ADDITIONAL_CA_CERT_BUNDLE"] {
      let bundle: CABundle = value.contains("-----BEGIN") ? .pem(value) : .file(value)
      return Setting(bundle, from: .environment("ADDITIONAL_CA_CERT_BUNDLE"))
    }
    return nil
  }

  /// Seconds a single request may take.
  public func timeout() throws -> Setting<Double> {
    guard let value = input.timeout else { return Setting(30, from: .defaultValue) }
    guard value > 0, value.isFinite else {
      throw UsageError("--timeout must be a positive number of seconds, not \(value).")
    }
    return Setting(value, from: .flag("--timeout"))
  }

  /// The longest single wait GitLab's rate limit may impose (`Retry-After`, `RateLimit-Reset`);
  /// past it the run stops with 69.
  public func maxWait() throws -> Setting<Double> {
    guard let value = input.maxWait else {
      return Setting(RateLimitPacer.defaultMaximumWait, from: .defaultValue)
    }
    guard value >= 0, value.isFinite else {
      throw UsageError("--max-wait must be zero or more seconds, not \(value).")
    }
    return Setting(value, from: .flag("--max-wait"))
  }

  /// How many times a request is retried after a network error, a 5xx or a 429.
  public func retries() throws -> Setting<Int> {
    guard let value = input.retries else { return Setting(5, from: .defaultValue) }
    guard (0...20).contains(value) else {
      throw UsageError("--retries must be between 0 and 20, not \(value).")
    }
    return Setting(value, from: .flag("--retries"))
  }

  /// How many requests may be in flight at once.
  public func concurrency() throws -> Setting<Int> {
    guard let value = input.concurrency else { return Setting(4, from: .defaultValue) }
    guard (1...64).contains(value) else {
      throw UsageError("--concurrency must be between 1 and 64, not \(value).")
    }
    return Setting(value, from: .flag("--concurrency"))
  }

  private func required(
    flag: (name: String, value: String?), variables: [String], what: String
  ) throws -> Setting<String> {
    if let value = flag.value, !value.isEmpty { return Setting(value, from: .flag(flag.name)) }
    for variable in variables {
      if let value = environment[variable] { return Setting(value, from: .environment(variable)) }
    }
    let names = variables.joined(separator: " or ")
    throw UsageError("No \(what): pass \(flag.name) or set \(names).")
  }

  static func trimmingSlashes(_ value: String) -> String {
    var result = value
    while result.hasSuffix("/") { result.removeLast() }
    return result
  }
}
