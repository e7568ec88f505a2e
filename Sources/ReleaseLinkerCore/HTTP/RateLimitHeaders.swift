/// What one answer says about the server's rate limit.
///
/// GitLab's Rack::Attack throttles (`lib/gitlab/rack_attack.rb`, `RequestThrottleData`) send
/// `RateLimit-Name`, `RateLimit-Limit` (the quota per minute, rounded up from the real period),
/// `RateLimit-Observed` (requests counted in the current window), `RateLimit-Remaining` and
/// `RateLimit-Reset` (the Unix time the window ends) on answers of a throttled path, and add
/// `RateLimit-ResetTime` (the same instant as an HTTP date) and `Retry-After` (seconds until then) to
/// a 429. GitLab.com sends them on every API answer.
public struct RateLimitHeaders: Sendable, Equatable {
  public var name: String?
  /// `RateLimit-Limit`: per minute on GitLab, whatever the window's length.
  public var limit: Int?
  public var observed: Int?
  public var remaining: Int?
  /// When the window ends, in Unix seconds (`RateLimit-Reset`, else `RateLimit-ResetTime`).
  public var reset: Double?
  /// `Retry-After` in seconds from `now` (a date is converted); negative values are kept as sent.
  public var retryAfter: Double?
  /// The rate-limit header lines exactly as they came, for `doctor`.
  public var lines: [HTTPHeader]

  static let names: Set<String> = [
    "ratelimit-name", "ratelimit-limit", "ratelimit-observed", "ratelimit-remaining",
    "ratelimit-reset", "ratelimit-resettime", "retry-after",
  ]

  /// Reads the headers; nil when the answer carries none of them.
  public init?(headers: [HTTPHeader], now: Double) {
    let lines = headers.filter { Self.names.contains($0.name.lowercased()) }
    guard !lines.isEmpty else { return nil }
    func value(_ name: String) -> String? {
      lines.last { $0.name.lowercased() == name }.map {
        String(
          $0.value.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
      }
    }
    func integer(_ name: String) -> Int? { value(name).flatMap { Int($0) } }
    self.lines = lines
    name = value("ratelimit-name")
    limit = integer("ratelimit-limit")
    observed = integer("ratelimit-observed")
    remaining = integer("ratelimit-remaining")
    if let text = value("ratelimit-reset"), let number = Double(text), number.isFinite {
      // GitLab sends a Unix time; the IETF draft sends seconds from now.
      reset = number > 1_000_000_000 ? number : now + number
    } else if let text = value("ratelimit-resettime"), let date = HTTPDate.secondsSince1970(text) {
      reset = date
    }
    if let text = value("retry-after") {
      if let seconds = Double(text), seconds.isFinite {
        retryAfter = seconds
      } else if let date = HTTPDate.secondsSince1970(text) {
        retryAfter = date - now
      }
    }
  }

  /// True when the answer says what is left of a window and when it ends: enough to pace by.
  public var describesWindow: Bool { remaining != nil && reset != nil }

  /// The quota of one window: what was left plus what was counted. A throttled answer counts
  /// requests beyond the quota, so it tells nothing.
  public func windowQuota(throttled: Bool) -> Int? {
    guard !throttled, let remaining, let observed else { return nil }
    return remaining + observed
  }
}
