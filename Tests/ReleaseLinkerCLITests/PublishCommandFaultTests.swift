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
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for name in ["one", "two", "three"] { try world.file("bin/\(name)") }
      emulator.script(method: method, pathSuffix: Self.links, faults)
      let result = try world.run(
        ["publish", "bin", "--concurrency", "1", "--output", "json"] + arguments)
      #expect(result.status == expectedStatus, "\(result.stderr)")
      #expect(!result.allOutput.contains(PublishFixture.jobToken))
      return (result, world.links)
    }
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
    let (_, links) = try publishThrough([.tooManyRequests(retryAfter: "1")])
    expectExactlyTheDesiredLinks(links)
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
      // Enough failures for every attempt at the first link; the other two still get their chance.
      emulator.script(
        method: "POST", pathSuffix: Self.links,
        Array(repeating: .status(503, body: "<html>503</html>"), count: 3))
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
