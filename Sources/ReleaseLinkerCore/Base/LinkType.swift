/// The kind of a release link, as GitLab knows it.
public enum LinkType: String, Sendable, Codable, CaseIterable {
  case other
  case runbook
  case image
  case package

  /// The type a command-line value names. Every option that takes a type (`--link-type`, the TYPE
  /// of `--type-rule`) parses it here, so a wrong value gets the same sentence everywhere.
  public init(argument: String) throws(UsageError) {
    guard let type = LinkType(rawValue: argument) else {
      throw UsageError(
        "'\(argument)' is not a link type: use one of "
          + LinkType.allCases.map(\.rawValue).joined(separator: ", ") + ".")
    }
    self = type
  }
}
