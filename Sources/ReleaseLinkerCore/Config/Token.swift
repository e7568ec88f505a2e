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
    /// An OAuth 2.0 access token: header `Authorization: Bearer …`.
    case oauth = "Authorization"

    /// The HTTP header GitLab reads this kind of token from.
    public var headerName: String { rawValue }

    /// What the kind is called in messages and in `doctor`.
    public var displayName: String {
      switch self {
      case .privateToken: "access token"
      case .jobToken: "CI/CD job token"
      case .oauth: "OAuth access token"
      }
    }

    /// How the header carries it, e.g. `JOB-TOKEN` or `Authorization: Bearer`.
    public var headerDescription: String {
      self == .oauth ? "Authorization: Bearer" : headerName
    }
  }

  public let kind: Kind
  public let source: SettingSource
  private let secret: String

  public init(_ secret: String, kind: Kind, source: SettingSource) {
    self.secret = secret
    self.kind = kind
    self.source = source
  }

  /// The raw value, for redacting traces. Never print it.
  public var headerValue: String { secret }

  /// The value of the ``Kind/headerName`` header: the secret, after `Bearer ` for OAuth.
  public var headerFieldValue: String { kind == .oauth ? "Bearer \(secret)" : secret }

  public var description: String { "\(kind.headerName) token from \(source) (redacted)" }
  public var debugDescription: String { description }
  public var customMirror: Mirror { Mirror(self, children: ["kind": kind, "source": source]) }
}

/// What a secret is, told by GitLab's token prefixes.
///
/// GitLab's prefixes ("Token prefixes" in GitLab's `doc/security/tokens/_index.md`): `glpat-` personal,
/// impersonation, project and group access tokens; `glcbt-` CI/CD job tokens (16.9 and later);
/// `gldt-` deploy tokens (16.7 and later); `gloas-` OAuth application secrets; `glrt-`/`glrtr-` runner
/// tokens, `glptt-` pipeline trigger tokens, `glft-` feed, `glimt-` incoming mail, `glagent-` agent,
/// `glwt-` workspace, `glsoat-` SCIM and `glffct-` feature flag client tokens. Since GitLab 18.x an
/// instance may put its own prefix in front (`SIE-glpat-…`). OAuth access tokens have no prefix: GitLab
/// generates them with Doorkeeper's `:hex` generator (`config/initializers/doorkeeper.rb`), 64 hex
/// digits.
public enum TokenClassification: Sendable, Equatable {
  /// Send it this way.
  case usable(Token.Kind)
  /// A token that cannot call the Releases API: its kind, and why.
  case refused(kind: String, reason: String)

  /// Classifies `secret`; a value equal to the job's own `CI_JOB_TOKEN` is a job token whatever it
  /// looks like (tokens from before 16.9 have no prefix).
  public static func of(_ secret: String, jobToken: String?) -> TokenClassification {
    if let jobToken, secret == jobToken { return .usable(.jobToken) }
    let bare = withoutInstancePrefix(secret)
    if bare.hasPrefix("glcbt-") { return .usable(.jobToken) }
    if bare.hasPrefix("glpat-") { return .usable(.privateToken) }
    if bare.hasPrefix("gldt-") {
      return .refused(
        kind: "deploy token",
        reason:
          "deploy tokens may only read repositories, registries and packages; the Releases API "
          + "needs the job token (CI_JOB_TOKEN) or an access token with the api scope")
    }
    if bare.hasPrefix("gloas-") {
      return .refused(
        kind: "OAuth application secret",
        reason:
          "it identifies an OAuth application and cannot call the API itself; exchange it for an "
          + "access token (POST /oauth/token) and pass that, or use CI_JOB_TOKEN or an access token"
      )
    }
    for (prefix, kind) in otherPrefixes where bare.hasPrefix(prefix) {
      return .refused(
        kind: kind,
        reason:
          "it cannot call the Releases API; use the job token (CI_JOB_TOKEN) or an access token "
          + "with the api scope")
    }
    if secret.utf8.count == 64, secret.utf8.allSatisfy(Self.isLowercaseHexDigit) {
      return .usable(.oauth)
    }
    // Access tokens from before prefixes existed (or with a custom one) are the likely remainder.
    return .usable(.privateToken)
  }

  private static let otherPrefixes: [(String, String)] = [
    ("glrtr-", "runner registration token"), ("glrt-", "runner authentication token"),
    ("glptt-", "pipeline trigger token"), ("glft-", "feed token"),
    ("glimt-", "incoming mail token"), ("glagent-", "GitLab agent token"),
    ("glwt-", "workspace token"), ("glsoat-", "SCIM token"),
    ("glffct-", "feature flags client token"),
  ]

  /// `SIE-glpat-…` → `glpat-…`: an instance prefix is letters and digits before the first `-`,
  /// followed by one of GitLab's own prefixes.
  static func withoutInstancePrefix(_ secret: String) -> Substring {
    guard let dash = secret.firstIndex(of: "-") else { return Substring(secret) }
    let rest = secret[secret.index(after: dash)...]
    let head = secret[..<dash]
    guard !head.hasPrefix("gl"), !head.isEmpty,
      head.utf8.allSatisfy({ isASCIILetterOrDigit($0) }), rest.hasPrefix("gl")
    else { return Substring(secret) }
    return rest
  }

  private static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
  }

  private static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
  }
}
