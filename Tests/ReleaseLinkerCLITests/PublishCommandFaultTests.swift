import Foundation
import GitLabEmulator
import Testing

/// What the network and the server may do to a publish run, and how it still ends with exactly the
/// desired links: no duplicate, nothing missing, the right exit code.
@Suite struct PublishFaultTests {
  static let links = "/releases/v1.7.0/assets/links"

  /// Publishes three assets with `faults` scripted on the link creations and checks the end state.
  private func publishThrough(
    _ faults: [ScriptedFault], method: String = "POST", arguments: [String] = [],
    expectedStatus: Int32 = 0
  ) throws -> (CLIResult, [EmulatedLink]) {
    let (result, links, _) = try publishLogging(
      faults, method: method, arguments: arguments, expectedStatus: expectedStatus)
    return (result, links)
  }

  /// The same, with the server's log of the requests it got (with the time each arrived).
  private func publishLogging(
    _ faults: [ScriptedFault], method: String = "POST", arguments: [String] = [],
    expectedStatus: Int32 = 0, timeout: TimeInterval = 120
  ) throws -> (CLIResult, [EmulatedLink], [LoggedRequest]) {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for name in ["one", "two", "three"] { try world.file("bin/\(name)") }
      emulator.script(method: method, pathSuffix: Self.links, faults)
      let result = try CLIRunner.run(
        ["publish", "bin", "--concurrency", "1", "--output", "json"] + arguments,
        environment: world.environment(), in: world.directory, timeout: timeout)
      #expect(result.status == expectedStatus, "\(result.stderr)")
      #expect(!result.allOutput.contains(PublishFixture.jobToken))
      return (result, world.links, emulator.requestLog)
    }
  }

  /// Seconds between each POST the server got and the next one.
  private func gapsBetweenPosts(_ log: [LoggedRequest]) -> [Double] {
    let posts = log.filter { $0.method == "POST" }.map(\.receivedAt)
    return zip(posts, posts.dropFirst()).map { $1 - $0 }
  }

  private func expectExactlyTheDesiredLinks(_ links: [EmulatedLink]) {
    #expect(links.map(\.name).sorted() == ["one", "three", "two"])
    #expect(Set(links.map(\.url)).count == 3)
  }

  @Test func serviceUnavailableTwiceThenFine() throws {
    let html = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
    let (result, links) = try publishThrough([
      .status(503, body: html), .status(503, body: html),
    ])
    expectExactlyTheDesiredLinks(links)
    #expect(try PublishReport(result.stdout).values("status") == ["done", "done", "done"])
  }

  @Test func tooManyRequestsIsWaitedOut() throws {
    let (_, links, log) = try publishLogging([.tooManyRequests(retryAfter: "1")])
    expectExactlyTheDesiredLinks(links)
    // The server's own clock shows the wait: the throttled POST is sent again a second later.
    let throttled = try #require(log.firstIndex { $0.method == "POST" && $0.status == 429 })
    let retry = try #require(log[(throttled + 1)...].first { $0.method == "POST" })
    #expect(retry.receivedAt - log[throttled].receivedAt >= 0.99)
  }

  @Test func aNegativeRetryAfterIsWaitedOutWithTheBackoff() throws {
    // It used to mean "at once": six requests in 0.4 s.
    let (_, links, log) = try publishLogging(
      Array(repeating: .tooManyRequests(retryAfter: "-1"), count: 3))
    expectExactlyTheDesiredLinks(links)
    let gaps = gapsBetweenPosts(log)
    // Equal jitter: at least half of 0.5, 1 and 2 seconds.
    #expect(gaps.count >= 3)
    #expect(gaps[0] >= 0.24 && gaps[1] >= 0.49 && gaps[2] >= 0.99, "\(gaps)")
  }

  @Test(arguments: ["99999", "Fri, 01 Jan 2100 00:00:00 GMT"])
  func aRetryAfterBeyondMaxWaitStopsTheRunAtOnce(retryAfter: String) throws {
    let (result, links, log) = try publishLogging(
      [.tooManyRequests(retryAfter: retryAfter)], arguments: ["--report", "report.json"],
      expectedStatus: 69, timeout: 40)
    #expect(links.isEmpty)
    #expect(log.filter { $0.method == "POST" }.count == 1, "no retry, no other write")
    #expect(result.stdout.contains("longer than --max-wait 120 s"), "\(result.stdout)")
    #expect(result.stdout.contains("run the job again after that time"))
    let report = try PublishReport(result.stdout)
    #expect(report.values("status") == ["failed", "failed", "failed"])
  }

  @Test func maxWaitSetsWhatIsWaitedOutAndWhatStops() throws {
    let (_, waited, log) = try publishLogging(
      [.tooManyRequests(retryAfter: "2")], arguments: ["--max-wait", "3"])
    expectExactlyTheDesiredLinks(waited)
    #expect(gapsBetweenPosts(log).first ?? 0 >= 1.99)
    let (stopped, none, _) = try publishLogging(
      [.tooManyRequests(retryAfter: "2")], arguments: ["--max-wait", "1"], expectedStatus: 69)
    #expect(none.isEmpty)
    #expect(stopped.stdout.contains("longer than --max-wait 1 s"), "\(stopped.stdout)")
  }

  @Test func aServerDownForEveryWriteStopsAfterTenFailuresInARow() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for index in 1...40 { try world.file("bin/tool-\(index)") }
      emulator.script(
        method: "POST", pathSuffix: Self.links,
        Array(repeating: .status(500, body: "<html>500 Internal Server Error</html>"), count: 400))
      let result = try world.run([
        "publish", "bin", "--concurrency", "1", "--report", "report.json",
      ])
      #expect(result.status == 69, "\(result.stderr)")
      // Each link used to get its own cycle of retries and re-reads: 282 requests for 40 links.
      #expect(emulator.requestLog.filter { $0.method == "POST" }.count == 10)
      #expect(emulator.stats.requests <= 13, "\(emulator.stats)")
      #expect(result.stdout.contains("10 writes in a row"), "\(result.stdout)")
      let report = try PublishReport(file: world.directory.appendingPathComponent("report.json"))
      #expect(report.summary["failed"] == 40)
      #expect(world.links.isEmpty)
    }
  }

  @Test func theDeadlineStopsTheRunAndReportsWhatWasNotSent() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for index in 1...20 { try world.file("bin/tool-\(index)") }
      emulator.script(
        method: "POST", pathSuffix: Self.links,
        Array(repeating: .delay(milliseconds: 400), count: 20))
      let result = try world.run([
        "publish", "bin", "--concurrency", "1", "--deadline", "2", "--report", "report.json",
      ])
      #expect(result.status == 69, "\(result.stderr)")
      let posts = emulator.requestLog.filter { $0.method == "POST" }.count
      #expect(posts < 20)
      let report = try PublishReport(file: world.directory.appendingPathComponent("report.json"))
      let errors = report.values("error")
      #expect(errors.contains { $0.contains("--deadline of 2 s passed") }, "\(errors)")
      #expect(report.summary["failed"] ?? 0 >= 20 - posts)
    }
  }

  @Test func aResetBeforeTheServerHandledTheCreate() throws {
    let (result, links) = try publishThrough([.resetBeforeHandling])
    expectExactlyTheDesiredLinks(links)
    #expect(try PublishReport(result.stdout).values("status") == ["done", "done", "done"])
  }

  @Test func aResetAfterTheServerCommittedTheCreateIsNotDuplicated() throws {
    let (result, links) = try publishThrough([.resetAfterCommit, .resetAfterCommit])
    expectExactlyTheDesiredLinks(links)
    let report = try PublishReport(result.stdout)
    #expect(report.values("status") == ["done", "done", "done"])
    #expect(report.values("action") == ["create", "create", "create"])
  }

  @Test func aMalformedAnswerIsResolvedByLooking() throws {
    let (_, links) = try publishThrough([.malformedBody])
    expectExactlyTheDesiredLinks(links)
  }

  @Test func aResponseSlowerThanTheTimeoutIsResolvedByLooking() throws {
    let (_, links) = try publishThrough(
      [.delay(milliseconds: 3_000)], arguments: ["--timeout", "1"])
    expectExactlyTheDesiredLinks(links)
  }

  @Test func aListThatKeepsFailingEndsWith69AndTheReportWritten() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/one")
      emulator.script(
        method: "GET", pathSuffix: Self.links,
        Array(repeating: .status(502, body: "<html>502 Bad Gateway</html>"), count: 20))
      let result = try world.run([
        "publish", "bin", "--retries", "2", "--report", "report.json", "--dotenv", "release.env",
      ])
      #expect(result.status == 69, "\(result.stderr)")
      #expect(result.stderr.contains("502"))
      let report = try PublishReport(file: world.directory.appendingPathComponent("report.json"))
      #expect(report.values("status") == ["failed"])
      #expect(report.summary["failed"] == 1)
      let dotenv = try String(
        contentsOf: world.directory.appendingPathComponent("release.env"), encoding: .utf8)
      #expect(dotenv.contains("RELEASE_LINKER_FAILED=1\n"))
      #expect(world.links.isEmpty)
    }
  }

  @Test func writesThatKeepFailingEndWith69LinkByLinkAndARerunRepairs() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for name in ["one", "two", "three"] { try world.file("bin/\(name)") }
      // Every write of a round is sent before the round is settled: three rounds of failures for
      // the first link (3 + 3 + 1), while the other two get their chance in each.
      emulator.script(
        method: "POST", pathSuffix: Self.links,
        Array(repeating: .status(503, body: "<html>503</html>"), count: 7))
      let failed = try world.run([
        "publish", "bin", "--retries", "1", "--concurrency", "1", "--output", "json",
        "--report", "report.json",
      ])
      #expect(failed.status == 69, "\(failed.stderr)")
      let report = try PublishReport(file: world.directory.appendingPathComponent("report.json"))
      #expect(report.values("status").sorted() == ["done", "done", "failed"])
      #expect(world.links.count == 2)

      let repaired = try world.run(["publish", "bin"])
      #expect(repaired.status == 0, "\(repaired.stderr)")
      expectExactlyTheDesiredLinks(world.links)
    }
  }

  @Test func aVerboseTraceThroughRetriesNeverShowsTheToken() throws {
    let (result, links) = try publishThrough(
      [.status(503, body: "<html>503</html>"), .resetAfterCommit], arguments: ["--verbose"])
    expectExactlyTheDesiredLinks(links)
    #expect(result.stderr.contains("JOB-TOKEN"))
    #expect(!result.allOutput.contains(PublishFixture.jobToken))
  }

  @Test func aRefusedTokenStopsAtOnceWith77() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for index in 1...10 { try world.file("bin/tool-\(index)") }
      let result = try world.run(["publish", "bin"], extra: ["CI_JOB_TOKEN": "glcbt-not-a-token"])
      #expect(result.status == 77)
      #expect(emulator.stats.requests <= 2)
      #expect(!result.allOutput.contains("glcbt-not-a-token"))
    }
  }

  @Test func anotherProjectsJobTokenGets77WithTheAllowlistHint() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      emulator.addProject(id: 21, path: "mynamespace/other")
      emulator.addJobToken("glcbt-other-project", projectID: 21, jobID: 900)
      try world.file("bin/hello")
      let result = try world.run(
        ["publish", "bin"], extra: ["CI_JOB_TOKEN": "glcbt-other-project"])
      #expect(result.status == 77)
      #expect(result.stderr.lowercased().contains("allowlist"))
      #expect(world.links.isEmpty)
    }
  }
}
