import Foundation
import GitLabEmulator
import Testing

/// `--rate-limit N/SECONDS`: GitLab.com's throttle, counted per token in clock-aligned windows.
@Suite struct RateLimiterTests {
  @Test func everyAnswerCarriesTheHeadersAndTheQuotaEndsIn429() throws {
    try Fixture.run { fixture throws in
      // One window of an hour, so the test cannot straddle two.
      fixture.emulator.setRateLimit(RateLimiter(limit: 3, period: 3600))
      var answers: [HTTPTestResponse] = []
      for _ in 0..<4 { answers.append(try fixture.get(Fixture.links)) }
      #expect(answers.prefix(3).allSatisfy { $0.status == 200 })
      #expect(answers.map { $0.header("RateLimit-Remaining") } == ["2", "1", "0", "0"])
      #expect(answers.map { $0.header("RateLimit-Observed") } == ["1", "2", "3", "4"])
      // 3 per hour is 1 per minute, rounded up.
      #expect(answers[0].header("RateLimit-Limit") == "1")
      #expect(answers[0].header("RateLimit-Name") == "throttle_authenticated_api")
      #expect(answers[0].header("Retry-After") == nil)
      let reset = try #require(answers[0].header("RateLimit-Reset").flatMap { Int($0) })
      #expect(reset % 3600 == 0)

      let refused = answers[3]
      #expect(refused.status == 429)
      #expect(refused.header("Content-Type") == "text/plain")
      #expect(refused.text == "Retry later\n")
      let retryAfter = try #require(refused.header("Retry-After").flatMap { Int($0) })
      #expect((1...3600).contains(retryAfter))
      #expect(refused.header("RateLimit-Reset") == String(reset))
      #expect(refused.header("RateLimit-ResetTime")?.hasSuffix(" GMT") == true)

      // Another token has its own count; the emulator's own routes are not counted.
      #expect(try fixture.get(Fixture.links, [Fixture.maintainer]).status == 200)
      let stats = try fixture.get("/-/emulator/stats", [])
      #expect(
        stats.text
          == #"{"requests":5,"writes":0,"connections":6,"uploads":0,"uploaded_bytes":0,"package_files":0,"throttled":1}"#
      )
      #expect(fixture.emulator.stats.throttled == 1)
    }
  }

  @Test func aThrottledWriteIsNotCarriedOut() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.setRateLimit(RateLimiter(limit: 1, period: 3600))
      #expect(try fixture.createLink(name: "a", url: "https://x/a").status == 201)
      #expect(try fixture.createLink(name: "b", url: "https://x/b").status == 429)
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").map(\.name) == ["a"])
    }
  }

  @Test func theFlagsValue() {
    #expect(RateLimiter("20/2") == RateLimiter(limit: 20, period: 2))
    for bad in ["20", "0/2", "20/0", "a/b", "20/2/1", ""] { #expect(RateLimiter(bad) == nil) }
  }
}
