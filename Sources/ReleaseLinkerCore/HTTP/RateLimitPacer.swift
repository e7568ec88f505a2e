/// Keeps every request of a run (all worker threads together) under the server's rate limit, from
/// what its answers say, instead of bouncing off 429s.
///
/// Until an answer describes a window (`RateLimit-Remaining` and `RateLimit-Reset`), requests go
/// freely. From then on each request takes one unit of what is left of the window; when nothing is
/// left, requests wait for the window's end. A 429 holds everyone back until its `Retry-After`. GitLab
/// counts windows of a fixed length aligned to the clock (Rack::Attack), and the quota of the next
/// window is the remaining plus the observed count of an answer that was not throttled.
///
/// No wait is longer than `maximumWait` (`--max-wait`): past it ``acquire()`` throws
/// ``RateLimitWaitError``, and the run stops with a sentence saying when to try again.
public final class RateLimitPacer: Sendable {
  /// One request in flight, from ``acquire()`` until ``record(_:status:headers:)`` or ``cancel(_:)``.
  public struct Ticket: Sendable, Equatable {
    let sequence: UInt64
  }

  private struct State {
    /// When the window whose budget we count ends (Unix seconds), if known.
    var windowEnd: Double?
    /// The end of the window before it: answers about that one are stale.
    var previousEnd: Double?
    /// Requests that may still be sent before `windowEnd`; nil while unknown.
    var budget: Int?
    /// The budget a fresh window brings, once an answer has told it.
    var windowQuota: Int?
    /// The window's length, learned from two successive window ends.
    var windowLength: Double?
    /// After a 429: nobody sends before this.
    var blockedUntil: Double?
    /// Tickets in flight, by sequence (the order they were taken in).
    var inFlight: Set<UInt64> = []
    var nextSequence: UInt64 = 0
    var latest: RateLimitHeaders?
    var waitedSeconds = 0.0
    /// The end of the last wait slept through: time is taken to have reached it even when the
    /// sleeper returned early (or, in tests, does not sleep at all).
    var reached = 0.0
  }

  /// The longest single wait allowed, in seconds.
  public let maximumWait: Double
  /// `--max-wait`'s default: two minutes.
  public static let defaultMaximumWait: Double = RetryPolicy.defaultMaximumWait
  /// Added to every wait for a window's end, so that a clock a little ahead of the server's does
  /// not send into the old window.
  public let margin: Double
  private let state = Locked(State())
  private let clock: @Sendable () -> Double
  private let sleeper: @Sendable (Double) -> Void
  /// How long a waiting request sleeps while the window's end is not known yet.
  private let pollInterval = 0.01

  public init(
    maximumWait: Double = RetryPolicy.defaultMaximumWait, margin: Double = 0.05,
    clock: @escaping @Sendable () -> Double, sleeper: @escaping @Sendable (Double) -> Void
  ) {
    self.maximumWait = maximumWait
    self.margin = margin
    self.clock = clock
    self.sleeper = sleeper
  }

  /// The rate-limit headers of the latest answer that carried any.
  public var latestHeaders: RateLimitHeaders? { state.withLock { $0.latest } }

  /// Seconds spent waiting for the rate limit so far.
  public var waitedSeconds: Double { state.withLock { $0.waitedSeconds } }

  /// Waits until the rate limit lets one more request go, and counts it.
  public func acquire() throws -> Ticket {
    while true {
      let decision = state.withLock { state -> Decision in
        decide(&state, now: max(clock(), state.reached))
      }
      switch decision {
      case .go(let ticket):
        return ticket
      case .wait(let seconds, let until, let reason):
        guard seconds <= maximumWait else {
          throw RateLimitWaitError(
            seconds: seconds, until: until, maximumWait: maximumWait, reason: reason)
        }
        sleeper(seconds)
        state.withLock {
          $0.waitedSeconds += seconds
          $0.reached = max($0.reached, until)
        }
      }
    }
  }

  /// The wait a 429 just imposed, when it is longer than ``maximumWait`` (so the caller stops at once
  /// instead of sleeping first); nil otherwise.
  public func refusalBeyondMaximumWait() -> RateLimitWaitError? {
    state.withLock { state in
      let now = max(clock(), state.reached)
      guard let until = state.blockedUntil, until - now > maximumWait else { return nil }
      return RateLimitWaitError(
        seconds: until - now, until: until, maximumWait: maximumWait, reason: .retryAfter)
    }
  }

  /// Takes what the answer to `ticket`'s request says about the limit.
  public func record(_ ticket: Ticket, status: Int, headers: [HTTPHeader]) {
    state.withLock { state in
      defer { state.inFlight.remove(ticket.sequence) }
      let now = max(clock(), state.reached)
      guard let seen = RateLimitHeaders(headers: headers, now: now) else { return }
      state.latest = seen
      let throttled = status == 429
      if let quota = seen.windowQuota(throttled: throttled) { state.windowQuota = quota }
      if throttled {
        // A negative or missing Retry-After says nothing usable; the window's end may.
        let wait = seen.retryAfter.flatMap { $0 >= 0 ? $0 : nil } ?? seen.reset.map { $0 - now }
        if let wait, wait > 0 {
          state.blockedUntil = max(state.blockedUntil ?? 0, now + wait)
          // Retry-After already ends at or after the window's end: no margin on top of it.
          state.windowEnd = max(state.windowEnd ?? 0, now + wait - margin)
          state.budget = 0
        }
        return
      }
      guard let remaining = seen.remaining, let reset = seen.reset else { return }
      // Requests sent after this one were probably not counted yet: take them off what is left.
      let later = state.inFlight.count { $0 > ticket.sequence }
      let left = max(0, remaining - later)
      if let end = state.windowEnd, abs(reset - end) < 0.5 {
        state.budget = min(state.budget ?? left, left)
      } else if let previous = state.previousEnd, reset < previous + 0.5 {
        return  // an answer about a window that is over
      } else if state.windowEnd.map({ reset > $0 }) ?? true {
        // A newer window than the one counted so far.
        if let end = state.windowEnd, reset - end > 0.5 {
          state.windowLength = reset - end
        }
        if let end = state.windowEnd { state.previousEnd = end }
        state.windowEnd = reset
        state.budget = left
      }
      // An answer about an older window than the one counted is stale: it changes nothing.
    }
  }

  /// Someone else (the retry policy) slept until `until`: a wait of the pacer's own that ends by then
  /// is over too.
  public func slept(until: Double) {
    state.withLock { $0.reached = max($0.reached, until) }
  }

  /// The request got no answer (a network error): it no longer counts as in flight.
  public func cancel(_ ticket: Ticket) {
    _ = state.withLock { $0.inFlight.remove(ticket.sequence) }
  }

  private enum Decision {
    case go(Ticket)
    case wait(seconds: Double, until: Double, reason: RateLimitWaitError.Reason)
  }

  private func decide(_ state: inout State, now: Double) -> Decision {
    if let until = state.blockedUntil {
      if now < until { return .wait(seconds: until - now, until: until, reason: .retryAfter) }
      state.blockedUntil = nil
    }
    if let end = state.windowEnd, now >= end + margin {
      // The window ended: the next one brings its full quota, and ends one length later.
      state.previousEnd = end
      state.budget = state.windowQuota
      state.windowEnd = state.windowLength.map { end + $0 * ((now - end) / $0).rounded(.up) }
      if let next = state.windowEnd, next <= now { state.windowEnd = nil }
    }
    if let budget = state.budget, budget <= 0 {
      if let end = state.windowEnd {
        let until = end + margin
        return .wait(seconds: max(0, until - now), until: until, reason: .windowSpent)
      }
      // Spent, with the end not known yet: an answer in flight will tell it.
      if !state.inFlight.isEmpty {
        return .wait(seconds: pollInterval, until: now + pollInterval, reason: .windowSpent)
      }
      state.budget = nil
    }
    if let budget = state.budget { state.budget = budget - 1 }
    let ticket = Ticket(sequence: state.nextSequence)
    state.nextSequence += 1
    state.inFlight.insert(ticket.sequence)
    return .go(ticket)
  }
}

/// The rate limit asks for a wait longer than `--max-wait` (exit 69): the run stops at once and says
/// when to try again.
public struct RateLimitWaitError: ReleaseLinkerError, WriteFailureClassifying, RunStoppingError,
  Equatable
{
  public enum Reason: Sendable, Equatable {
    /// A 429's `Retry-After` (or its window's end).
    case retryAfter
    /// The window's quota is spent until `RateLimit-Reset`.
    case windowSpent
  }

  public var seconds: Double
  /// When the wait would end, in Unix seconds.
  public var until: Double
  public var maximumWait: Double
  public var reason: Reason

  public var exitStatus: ExitStatus { .unavailable }
  /// Nothing was sent: the request waited for its turn.
  public var writeFailureKind: WriteFailureKind { .unavailable }

  public var message: String {
    let cause =
      reason == .retryAfter
      ? "GitLab's rate limit answered 429 and asks to wait"
      : "GitLab's rate limit is spent for now and resets in"
    return
      "\(cause) \(Self.duration(seconds)) (until \(ISO8601Time.format(until.rounded(.up)))), "
      + "longer than --max-wait \(Self.duration(maximumWait)): run the job again after that time, "
      + "or raise --max-wait."
  }

  static func duration(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded(.up))
    if whole < 600 { return "\(whole) s" }
    if whole < 7_200 { return "\(whole / 60) min \(whole % 60) s" }
    return "\(whole / 3_600) h \(whole % 3_600 / 60) min"
  }
}
