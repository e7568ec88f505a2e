/// GitLab's authenticated API throttle as Rack::Attack counts it: `limit` requests per window of
/// `period` seconds, windows aligned to the Unix clock, one count per caller.
///
/// Answers carry GitLab's headers (`lib/gitlab/rack_attack/request_throttle_data.rb`): every answer
/// `RateLimit-Name`, `RateLimit-Limit` (the quota scaled to a minute, rounded up), `RateLimit-Observed`,
/// `RateLimit-Remaining` and `RateLimit-Reset` (the window's end, Unix time); a refused request gets
/// 429, `text/plain`, `Retry later\n`, and also `RateLimit-ResetTime` and `Retry-After` (seconds
/// until the window ends).
public struct RateLimiter: Sendable, Equatable {
  public var limit: Int
  public var period: Int
  /// Per caller: the window counted and the requests counted in it.
  private var counts: [String: (window: Int, count: Int)] = [:]

  public init(limit: Int, period: Int) {
    self.limit = max(1, limit)
    self.period = max(1, period)
  }

  /// `N/SECONDS`, e.g. `20/2`; nil for anything else.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let limit = Int(parts[0]), let period = Int(parts[1]), limit > 0,
      period > 0
    else { return nil }
    self.init(limit: limit, period: period)
  }

  /// What the throttle decided for one request.
  struct Decision {
    /// The headers every answer carries.
    var headers: [(String, String)]
    /// The 429 to send instead of the answer, when the quota is spent.
    var refusal: EmulatorResponse?
  }

  /// Counts a request of `caller` at Unix time `now`.
  mutating func count(caller: String, now: Int) -> Decision {
    let window = now / period
    var entry = counts[caller] ?? (window, 0)
    if entry.window != window { entry = (window, 0) }
    entry.count += 1
    counts[caller] = entry
    let retryAfter = period - now % period
    let reset = now + retryAfter
    let perMinute = (limit * 60 + period - 1) / period
    let headers = [
      ("RateLimit-Name", "throttle_authenticated_api"),
      ("RateLimit-Limit", String(perMinute)),
      ("RateLimit-Observed", String(entry.count)),
      ("RateLimit-Remaining", String(max(0, limit - entry.count))),
      ("RateLimit-Reset", String(reset)),
    ]
    guard entry.count > limit else { return Decision(headers: headers, refusal: nil) }
    let refusal = EmulatorResponse(
      status: 429,
      headers: [("Content-Type", "text/plain")] + headers + [
        ("RateLimit-ResetTime", Timestamps.httpDate(reset)), ("Retry-After", String(retryAfter)),
      ],
      body: .bytes(Array("Retry later\n".utf8)))
    return Decision(headers: headers, refusal: refusal)
  }

  public static func == (lhs: RateLimiter, rhs: RateLimiter) -> Bool {
    lhs.limit == rhs.limit && lhs.period == rhs.period
  }
}
