/// A GitLab project as the API addresses it: a numeric id, or a full path such as `group/sub/project`.
public struct ProjectIdentifier: Sendable, Hashable, CustomStringConvertible {
  /// The id or path exactly as the user gave it.
  public let rawValue: String

  public init(_ rawValue: String) {
    self.rawValue = rawValue
  }

  /// True for a numeric id.
  public var isNumeric: Bool {
    !rawValue.isEmpty && rawValue.allSatisfy(\.isASCII) && Int(rawValue) != nil
  }

  /// The value as one URL path segment: a path's `/` becomes `%2F`.
  public var pathSegment: String { PercentEncoding.segment(rawValue) }

  public var description: String { rawValue }
}
