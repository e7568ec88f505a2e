/// A GitLab server's version, as `CI_SERVER_VERSION` or `GET /version` give it (`15.8.1-ee`,
/// `17.5.0-pre`, `16.11`): what the client must send depends on it.
public struct GitLabVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let major: Int
  public let minor: Int
  public let patch: Int
  /// The text it was read from.
  public let text: String

  public init(major: Int, minor: Int, patch: Int = 0) {
    self.major = major
    self.minor = minor
    self.patch = patch
    self.text = "\(major).\(minor).\(patch)"
  }

  /// Reads `MAJOR.MINOR[.PATCH][-suffix]`; nil for anything else.
  public init?(_ text: String) {
    let trimmed = text.filter { !$0.isWhitespace }
    let core = trimmed.prefix { $0.isNumber || $0 == "." }
    let parts = core.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count >= 2, parts.count <= 3, let major = Int(parts[0]), let minor = Int(parts[1])
    else { return nil }
    let patch = parts.count == 3 ? Int(parts[2]) : 0
    guard let patch else { return nil }
    self.major = major
    self.minor = minor
    self.patch = patch
    self.text = trimmed
  }

  /// GitLab 15.9 added `direct_asset_path` to the link APIs; before it, the same column is set
  /// only through `filepath` (an unknown parameter is dropped without an error, so a path sent
  /// under the new name is silently lost).
  public var acceptsDirectAssetPath: Bool { self >= GitLabVersion(major: 15, minor: 9) }

  public static func < (lhs: GitLabVersion, rhs: GitLabVersion) -> Bool {
    (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
  }

  public static func == (lhs: GitLabVersion, rhs: GitLabVersion) -> Bool {
    (lhs.major, lhs.minor, lhs.patch) == (rhs.major, rhs.minor, rhs.patch)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(major)
    hasher.combine(minor)
    hasher.combine(patch)
  }

  public var description: String { text }
}
