/// The secret used to authenticate against GitLab.
///
/// Its value is only reachable through ``headerValue`` for the transport; every textual description of a
/// token is redacted, so interpolating one into a message or a log can never leak it.
public struct Token: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  /// How GitLab expects this token to be sent.
  public enum Kind: String, Sendable {
    /// A personal, project or group access token: header `PRIVATE-TOKEN`.
    case privateToken = "PRIVATE-TOKEN"
    /// A CI/CD job token: header `JOB-TOKEN`.
    case jobToken = "JOB-TOKEN"

    /// The HTTP header GitLab reads this kind of token from.
    public var headerName: String { rawValue }
  }

  public let kind: Kind
  public let source: SettingSource
  private let secret: String

  public init(_ secret: String, kind: Kind, source: SettingSource) {
    self.secret = secret
    self.kind = kind
    self.source = source
  }

  /// The raw value, for the transport's header and for redacting traces. Never print it.
  public var headerValue: String { secret }

  public var description: String { "\(kind.headerName) token from \(source) (redacted)" }
  public var debugDescription: String { description }
  public var customMirror: Mirror { Mirror(self, children: ["kind": kind, "source": source]) }
}
