import Foundation
import GitLabEmulator
import Testing

/// Publishing under GitLab.com's rate limit: paced by the headers, never bouncing off 429s.
@Suite struct PublishCommandRateLimitTests {
  @Test func twoHundredLinksUnderTwentyPerTwoSecondsGetAtMostOne429() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for index in 0..<200 { try world.file("dist/f\(index)") }
      emulator.setRateLimit(RateLimiter(limit: 20, period: 2))

      let result = try world.run(["publish", "dist", "--no-checksums", "--concurrency", "8"])
      #expect(result.status == 0, "\(result.allOutput)")
      #expect(world.links.count == 200)
      // Counted by the server: every request it throttled.
      #expect(emulator.stats.throttled <= 1, "\(emulator.stats)")
      #expect(emulator.requestLog.filter { $0.status == 429 }.count <= 1)
    }
  }

  @Test func aRetryAfterBeyondMaxWaitStopsAtOnceWith69() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for index in 0..<20 { try world.file("bin/t\(index)") }
      emulator.script(
        method: "POST", pathSuffix: "/assets/links", [.tooManyRequests(retryAfter: "99999")])

      let result = try world.run(["publish", "bin", "--no-checksums", "--concurrency", "1"])
      #expect(result.status == 69, "\(result.allOutput)")
      #expect(result.allOutput.contains("--max-wait"))
      // One refused POST, and nothing sent after it: the run stopped instead of waiting.
      let posts = emulator.requestLog.filter { $0.method == "POST" }
      #expect(posts.count == 1 && posts.first?.status == 429)
      #expect(emulator.requestLog.last?.status == 429)
      #expect(world.links.isEmpty)
    }
  }

  @Test func maxWaitSetsTheLongestWait() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      emulator.script(
        method: "POST", pathSuffix: "/assets/links", [.tooManyRequests(retryAfter: "30")])
      let stopped = try world.run(["publish", "bin", "--max-wait", "5"])
      #expect(stopped.status == 69, "\(stopped.allOutput)")
      #expect(stopped.allOutput.contains("asks to wait 30 s"))
      #expect(stopped.allOutput.contains("longer than --max-wait 5 s"))
      #expect(emulator.requestLog.filter { $0.method == "POST" }.count == 1)

      let bad = try world.run(["publish", "bin", "--max-wait", "-1"])
      #expect(bad.status == 64)
      #expect(bad.stderr.contains("--max-wait must be zero or more seconds"))
    }
  }
}
