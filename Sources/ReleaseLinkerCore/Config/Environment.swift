/// The process environment, read once by the CLI and passed in; the core never reads `ProcessInfo`.
public struct Environment: Sendable, Equatable {
  public let values: [String: String]

  public init(_ values: [String: String]) {
    self.values = values
  }

  /// The variable's value, or nil when it is unset or empty (GitLab sets unused variables to "").
  public subscript(_ name: String) -> String? {
    guard let value = values[name], !value.isEmpty else { return nil }
    return value
  }

  /// True inside a GitLab CI job (`CI=true` or `GITLAB_CI=true`).
  public var isGitLabCI: Bool {
    self["GITLAB_CI"] == "true" || self["CI"] == "true"
  }
}
