/// The scheme, host and port of a URL: two URLs with the same origin reach the same server, so
/// credentials may travel between them.
public struct URLOrigin: Sendable, Equatable, CustomStringConvertible {
  public var scheme: String
  public var host: String
  public var port: Int

  /// Parses `scheme://[userinfo@]host[:port]/…`; nil when the URL has no scheme or host.
  public init?(_ url: String) {
    guard let separator = url.firstRange(of: "://") else { return nil }
    let scheme = url[..<separator.lowerBound].lowercased()
    guard !scheme.isEmpty else { return nil }
    var authority = url[separator.upperBound...]
    if let end = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
      authority = authority[..<end]
    }
    if let at = authority.lastIndex(of: "@") {
      authority = authority[authority.index(after: at)...]
    }
    var host = Substring(authority)
    var port: Int?
    if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
      let rest = host[host.index(after: close)...]
      if rest.hasPrefix(":") { port = Int(rest.dropFirst()) }
      host = host[...close]
    } else if let colon = host.lastIndex(of: ":") {
      port = Int(host[host.index(after: colon)...])
      host = host[..<colon]
    }
    guard !host.isEmpty else { return nil }
    self.scheme = scheme
    self.host = host.lowercased()
    self.port = port ?? (scheme == "https" ? 443 : 80)
  }

  /// `host:port`, as error messages name a server.
  public var hostAndPort: String { "\(host):\(port)" }

  public var description: String { "\(scheme)://\(host):\(port)" }
}
