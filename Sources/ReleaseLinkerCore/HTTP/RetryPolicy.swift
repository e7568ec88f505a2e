/// When and how long to wait before sending a request again.
///
/// Network errors, 5xx and 429 are retried up to `maximumRetries` times with exponential backoff and
/// jitter. A wait the server asks for (`Retry-After`, else `RateLimit-Reset`) replaces the backoff
/// when it is usable: a negative or unreadable value, or a moment already past, says nothing about
/// when the server will answer, so the backoff applies. A wait longer than `maximumWait`
/// (`--max-wait`) is not waited out at all: the run stops at once and says when to retry.
/// Other 4xx are final. A write is resent only when it certainly did not reach the server: after a
/// 429 (GitLab throttles before handling) or a connection that failed before sending.
///
/// ``RateLimitPacer`` paces requests by the `RateLimit-*` headers of every answer under the same
/// ``maximumWait``; a 429's wait past it is refused there, any other status's here.
public struct RetryPolicy: Sendable, Equatable {
  public var maximumRetries: Int
  /// The first backoff, in seconds; it doubles with each retry.
  public var baseDelay: Double
  /// No backoff of our own is longer than this.
  public var maximumDelay: Double
  /// The longest wait a server may ask for (`--max-wait`); a longer one stops the run.
  public var maximumWait: Double

  public static let defaultMaximumWait: Double = 120

  public init(
    maximumRetries: Int, baseDelay: Double = 0.5, maximumDelay: Double = 60,
    maximumWait: Double = RetryPolicy.defaultMaximumWait
  ) {
    self.maximumRetries = max(0, maximumRetries)
    self.baseDelay = baseDelay
    self.maximumDelay = maximumDelay
    self.maximumWait = max(0, maximumWait)
  }

  /// What to do before retry number `retry` (1 for the first).
  public enum Decision: Sendable, Equatable {
    /// Sleep this many seconds, then send again.
    case wait(seconds: Double)
    /// The server asked for `seconds`, more than ``maximumWait``: do not wait, stop.
    case stop(askedSeconds: Double)
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

  /// The wait before retry number `retry` (1 for the first), given the last response's headers
  /// (empty after a network error), the current Unix time and a random number in 0..<1 for jitter.
  public func decision(
    beforeRetry retry: Int, headers: [HTTPHeader], now: Double, random: Double
  ) -> Decision {
    if let requested = Self.serverRequestedDelay(headers: headers, now: now) {
      return requested > maximumWait ? .stop(askedSeconds: requested) : .wait(seconds: requested)
    }
    return .wait(seconds: backoff(beforeRetry: retry, random: random))
  }

  /// Exponential backoff with "equal jitter": at least half the backoff, so retries from parallel
  /// jobs spread out.
  public func backoff(beforeRetry retry: Int, random: Double) -> Double {
    let exponent = max(0, min(retry - 1, 30))
    var backoff = baseDelay
    for _ in 0..<exponent { backoff *= 2 }
    backoff = min(backoff, maximumDelay)
    return backoff / 2 + backoff / 2 * min(max(random, 0), 1)
  }

  /// The wait a server asked for, in seconds from `now`: `Retry-After` (seconds or an HTTP date),
  /// else `RateLimit-Reset` (a Unix time, or seconds when small). Nil when neither is there or what
  /// is there is unusable: a negative number, text that is neither, a moment already past.
  public static func serverRequestedDelay(headers: [HTTPHeader], now: Double) -> Double? {
    func value(_ name: String) -> String? {
      headers.last { $0.name.lowercased() == name }.map {
        String(
          $0.value.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
      }
    }
    if let retryAfter = value("retry-after") {
      // RFC 9110 §10.2.3: a non-negative number of seconds, or an HTTP date.
      if let seconds = Double(retryAfter) {
        return seconds.isFinite && seconds >= 0 ? seconds : nil
      }
      if let date = HTTPDate.secondsSince1970(retryAfter) {
        return date > now ? date - now : nil
      }
    }
    if let reset = value("ratelimit-reset"), let number = Double(reset), number.isFinite {
      // GitLab sends a Unix time; the IETF draft sends seconds. No delay is 30 years long.
      let seconds = number > 1_000_000_000 ? number - now : number
      return seconds > 0 ? seconds : nil
    }
    return nil
  }
}

/// GitLab asked for a longer wait than `--max-wait` allows (exit 69): the run stops at once rather
/// than hold the job, and says when a retry can succeed.
public struct RetryLaterError: ReleaseLinkerError, WriteFailureClassifying, RunStoppingError,
  Equatable
{
  public var method: HTTPMethod
  /// The path asked for (no host, no query).
  public var path: String
  public var status: Int
  /// The wait GitLab asked for, in seconds.
  public var askedSeconds: Double
  /// The Unix time it asked to wait until.
  public var retryAt: Double
  public var maximumWait: Double

  public init(
    method: HTTPMethod, path: String, status: Int, askedSeconds: Double, retryAt: Double,
    maximumWait: Double
  ) {
    self.method = method
    self.path = path
    self.status = status
    self.askedSeconds = askedSeconds
    self.retryAt = retryAt
    self.maximumWait = maximumWait
  }

  public var exitStatus: ExitStatus { .unavailable }
  /// Nothing was carried out: the request is to be sent again later.
  public var writeFailureKind: WriteFailureKind { .unavailable }
  public var message: String {
    "GitLab answered \(status) to \(method.rawValue) \(path) and asks to wait "
      + "\(RateLimitWaitError.duration(askedSeconds)) (until "
      + "\(ISO8601Time.format(retryAt.rounded(.up)))), longer than --max-wait "
      + "\(RateLimitWaitError.duration(maximumWait)): run the job again after that time, or raise "
      + "--max-wait."
  }
}
