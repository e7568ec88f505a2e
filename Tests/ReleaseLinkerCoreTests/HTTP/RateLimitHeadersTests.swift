import Testing

@testable import ReleaseLinkerCore

struct RateLimitHeadersTests {
  @Test func gitLabsThrottledAnswer() throws {
    let now = 1_609_842_570.0
    let seen = try #require(
      RateLimitHeaders(
        headers: [
          HTTPHeader("Content-Type", "text/plain"),
          HTTPHeader("RateLimit-Name", "throttle_authenticated_api"),
          HTTPHeader("RateLimit-Limit", "60"), HTTPHeader("RateLimit-Observed", "67"),
          HTTPHeader("RateLimit-Remaining", "0"), HTTPHeader("RateLimit-Reset", "1609844400"),
          HTTPHeader("RateLimit-ResetTime", "Tue, 05 Jan 2021 11:00:00 GMT"),
          HTTPHeader("Retry-After", "1830"),
        ], now: now))
    #expect(seen.name == "throttle_authenticated_api")
    #expect(seen.limit == 60 && seen.observed == 67 && seen.remaining == 0)
    #expect(seen.reset == 1_609_844_400 && seen.retryAfter == 1830)
    #expect(seen.lines.count == 7)
    #expect(seen.windowQuota(throttled: true) == nil)
    #expect(seen.windowQuota(throttled: false) == 67)
  }

  @Test func resetTimeAloneAndRelativeResets() throws {
    let now = 1_609_844_000.0
    let dated = try #require(
      RateLimitHeaders(
        headers: [HTTPHeader("ratelimit-resettime", "Tue, 05 Jan 2021 11:00:00 GMT")], now: now))
    #expect(dated.reset == 1_609_844_400)
    let relative = try #require(
      RateLimitHeaders(headers: [HTTPHeader("RateLimit-Reset", "30")], now: now))
    #expect(relative.reset == now + 30)
    #expect(RateLimitHeaders(headers: [HTTPHeader("X-Page", "1")], now: now) == nil)
  }
}
