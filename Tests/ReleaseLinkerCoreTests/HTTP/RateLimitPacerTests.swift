import Testing

@testable import ReleaseLinkerCore

/// Pacing against a fixed-window limit, on a clock the test moves: sleeping advances it.
struct RateLimitPacerTests {
  final class FakeClock: Sendable {
    private let time = Locked<Double>(1_000_000_020)
    private let slept = Locked<[Double]>([])
    var now: Double { time.withLock { $0 } }
    var sleeps: [Double] { slept.withLock { $0 } }
    func advance(_ seconds: Double) {
      time.withLock { $0 += seconds }
      slept.withLock { $0.append(seconds) }
    }
  }

  /// GitLab's headers for an answer counted as number `observed` of a window ending at `reset`.
  static func headers(limit: Int, observed: Int, reset: Double) -> [HTTPHeader] {
    [
      HTTPHeader("RateLimit-Limit", String(limit)),
      HTTPHeader("RateLimit-Observed", String(observed)),
      HTTPHeader("RateLimit-Remaining", String(max(0, limit - observed))),
      HTTPHeader("RateLimit-Reset", String(Int(reset))),
    ]
  }

  private func pacer(_ clock: FakeClock, maximumWait: Double = 120) -> RateLimitPacer {
    RateLimitPacer(
      maximumWait: maximumWait, margin: 0, clock: { clock.now }, sleeper: { clock.advance($0) })
  }

  @Test func requestsGoFreelyUntilALimitIsKnown() throws {
    let clock = FakeClock()
    let pacer = pacer(clock)
    for _ in 0..<50 { pacer.record(try pacer.acquire(), status: 200, headers: []) }
    #expect(clock.sleeps.isEmpty)
  }

  /// A server counting 5 requests per 2-second window, as Rack::Attack does.
  @Test func aSpentWindowWaitsForItsEndAndNoRequestIsOverTheLimit() throws {
    let clock = FakeClock()
    let pacer = pacer(clock)
    var counted: [Int: Int] = [:]  // window start → requests the server counted in it
    for _ in 0..<23 {
      let ticket = try pacer.acquire()
      let window = Int(clock.now) / 2 * 2
      counted[window, default: 0] += 1
      pacer.record(
        ticket, status: counted[window]! > 5 ? 429 : 200,
        headers: Self.headers(limit: 5, observed: counted[window]!, reset: Double(window + 2)))
    }
    #expect(counted.values.allSatisfy { $0 <= 5 }, "\(counted)")
    #expect(counted.count == 5)  // 5 + 5 + 5 + 5 + 3
    #expect(clock.sleeps.count == 4)
  }

  @Test func aTooManyRequestsHoldsEveryoneBackUntilRetryAfter() throws {
    let clock = FakeClock()
    let pacer = pacer(clock)
    let ticket = try pacer.acquire()
    pacer.record(ticket, status: 429, headers: [HTTPHeader("Retry-After", "7")])
    let start = clock.now
    _ = try pacer.acquire()
    #expect(clock.now - start == 7)
  }

  @Test func aWaitBeyondTheMaximumStopsAtOnce() throws {
    let clock = FakeClock()
    let pacer = pacer(clock, maximumWait: 120)
    let ticket = try pacer.acquire()
    pacer.record(ticket, status: 429, headers: [HTTPHeader("Retry-After", "99999")])
    #expect(pacer.refusalBeyondMaximumWait() != nil)
    #expect {
      _ = try pacer.acquire()
    } throws: { error in
      guard let wait = error as? RateLimitWaitError else { return false }
      return wait.exitStatus == .unavailable && wait.message.contains("--max-wait 120 s")
    }
    #expect(clock.sleeps.isEmpty)
  }

  @Test func aNegativeRetryAfterImposesNoWait() throws {
    let clock = FakeClock()
    let pacer = pacer(clock)
    pacer.record(try pacer.acquire(), status: 429, headers: [HTTPHeader("Retry-After", "-5")])
    _ = try pacer.acquire()
    #expect(clock.sleeps.isEmpty)
  }

  @Test func requestsStillInFlightCountAgainstTheWindow() throws {
    let clock = FakeClock()
    let pacer = pacer(clock)
    let first = try pacer.acquire()
    let second = try pacer.acquire()
    let third = try pacer.acquire()
    // The first answer says 3 are left; the two sent after it were not counted yet.
    let reset = Double(Int(clock.now) + 10)
    pacer.record(first, status: 200, headers: Self.headers(limit: 4, observed: 1, reset: reset))
    _ = try pacer.acquire()  // the last one of the window
    pacer.record(second, status: 200, headers: Self.headers(limit: 4, observed: 2, reset: reset))
    pacer.record(third, status: 200, headers: Self.headers(limit: 4, observed: 3, reset: reset))
    let before = clock.now
    _ = try pacer.acquire()
    #expect(clock.now >= reset && clock.now - before <= 10)
  }
}
