/// The GitLab version the emulator answers as (`--gitlab-version 15.8`), and what changes with it.
public struct EmulatedVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
  public var major: Int
  public var minor: Int

  /// What the emulator is when no version is asked for: a recent GitLab.
  public static let current = EmulatedVersion(major: 18, minor: 6)

  public init(major: Int, minor: Int) {
    self.major = major
    self.minor = minor
  }

  /// `X.Y` (a patch level is read and dropped); nil for anything else.
  public init?(_ text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (2...3).contains(parts.count), let major = Int(parts[0]), let minor = Int(parts[1]),
      major >= 0, minor >= 0, parts.count == 2 || Int(parts[2]) != nil
    else { return nil }
    self.init(major: major, minor: minor)
  }

  /// GitLab 15.9 added `direct_asset_path` to the link parameters (`lib/api/release/links.rb`,
  /// `lib/api/releases.rb`); before it Grape drops the unknown key without a word and only
  /// `filepath` sets the path.
  var acceptsDirectAssetPath: Bool { self >= EmulatedVersion(major: 15, minor: 9) }

  /// The link entity lost `external` in 16.0.
  var linkEntityHasExternal: Bool { self < EmulatedVersion(major: 16, minor: 0) }

  public static func < (lhs: EmulatedVersion, rhs: EmulatedVersion) -> Bool {
    (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
  }

  public var description: String { "\(major).\(minor).0" }
}
