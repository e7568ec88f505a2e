/// When and how long to wait before sending a request again.
///
/// Network errors, 5xx and 429 are retried up to `maximumRetries` times with exponential backoff and
/// jitter; a server's `Retry-After` or `RateLimit-Reset` replaces the backoff. Every wait is capped.
/// Other 4xx are final. A write is resent only when it certainly did not reach the server: after a
/// 429 (GitLab throttles before handling) or a connection that failed before sending.
public struct RetryPolicy: Sendable, Equatable {
  public var maximumRetries: Int
  /// The first backoff, in seconds; it doubles with each retry.
  public var baseDelay: Double
  /// No wait is longer than this, whatever the server asks.
  public var maximumDelay: Double

  public init(maximumRetries: Int, baseDelay: Double = 0.5, maximumDelay: Double = 60) {
    self.maximumRetries = max(0, maximumRetries)
    self.baseDelay = baseDelay
    self.maximumDelay = maximumDelay
  }

  /// Whether a response with `status` to a `method` request may be answered by sending it again.
  public func shouldRetry(status: Int, method: HTTPMethod) -> Bool {
    if status == 429 { return true }
    if (500...599).contains(status) {
      // A 5xx to a write leaves its outcome unknown: the caller must look before resending.
      return !method.isWrite
    }
    return false
  }

  /// Seconds to wait before retry number `retry` (1 for the first), given the last response's headers
  /// (empty after a network error), the current Unix time and a random number in 0..<1 for jitter.
  public func delay(
    beforeRetry retry: Int, headers: [HTTPHeader], now: Double, random: Double
  ) -> Double {
    if let requested = Self.serverRequestedDelay(headers: headers, now: now) {
      return min(max(0, requested), maximumDelay)
    }
    let exponent = Double(max(0, min(retry - 1, 30)))
    var backoff = baseDelay
    for _ in 0..<Int(exponent) { backoff *= 2 }
    backoff = min(backoff, maximumDelay)
    // "Equal jitter": at least half the backoff, so retries from parallel jobs spread out.
    return backoff / 2 + backoff / 2 * min(max(random, 0), 1)
  }

  /// The wait a server asked for: `Retry-After` (seconds or an HTTP date), else `RateLimit-Reset`
  /// (a Unix time, or seconds when small), else nil.
  public static func serverRequestedDelay(headers: [HTTPHeader], now: Double) -> Double? {
    func value(_ name: String) -> String? {
      headers.last { $0.name.lowercased() == name }.map {
        String(
          $0.value.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
      }
    }
    if let retryAfter = value("retry-after") {
      if let seconds = Double(retryAfter), seconds.isFinite { return max(0, seconds) }
      if let date = HTTPDate.secondsSince1970(retryAfter) { return max(0, date - now) }
    }
    if let reset = value("ratelimit-reset"), let number = Double(reset), number.isFinite {
      // GitLab sends a Unix time; the IETF draft sends seconds. No delay is 30 years long.
      return max(0, number > 1_000_000_000 ? number - now : number)
    }
    return nil
  }
}
