import Foundation
import GitLabEmulator
import Testing

/// Two runs of the same job at once (a retried pipeline, two tags' jobs racing): they converge on
/// exactly the desired links, each run's requests stay about one per link, and each link is
/// counted as created by one run only.
@Suite(.serialized) struct PublishCommandConcurrencyTests {
  /// Requests a run sent, read from its `--verbose` trace (`> METHOD URL` lines).
  private func requests(in trace: String) -> Int {
    trace.split(separator: "\n").count { line in
      ["> GET ", "> POST ", "> PUT ", "> DELETE "].contains { line.hasPrefix($0) }
    }
  }

  @Test func twoRunsAtOnceSettleTakenLinksWithoutARereadEach() throws {
    let count = 200
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for index in 1...count { try world.file("dist/file-\(index)") }
      emulator.setLatency(milliseconds: 2)
      // Both runs read the release before either writes, so both plan every create.
      emulator.script(
        method: "GET", pathSuffix: "/assets/links",
        [.delay(milliseconds: 3_000), .delay(milliseconds: 3_000)])
      let runs = try ["a", "b"].map { name in
        try CLIRunner.start(
          [
            "publish", "dist", "--verbose", "--output", "json", "--concurrency", "4",
            "--report", "\(name).json", "--dotenv", "\(name).env",
          ], environment: world.environment(), in: world.directory)
      }
      let results = try runs.map { try $0.wait(timeout: 180) }
      for result in results { #expect(result.status == 0, "\(result.stderr.suffix(2000))") }

      let links = world.links
      #expect(links.count == count)
      #expect(Set(links.map(\.name)).count == count)
      let reports = try ["a", "b"].map {
        try PublishReport(file: world.directory.appendingPathComponent("\($0).json"))
      }
      // A link the other run made first is unchanged, not created twice over.
      let created = reports.map { $0.summary["create"] ?? 0 }
      let unchanged = reports.map { $0.summary["unchanged"] ?? 0 }
      #expect(created[0] + created[1] == count, "\(created)")
      #expect(zip(created, unchanged).allSatisfy { $0 + $1 == count })
      let dotenv = try ["a", "b"].map {
        try String(contentsOf: world.directory.appendingPathComponent("\($0).env"), encoding: .utf8)
      }
      #expect(dotenv.allSatisfy { $0.contains("RELEASE_LINKER_LINKS=\(count)\n") })
      // One write per link, the first listing, and a settling listing per round: each taken link
      // used to cost a full re-read of every page.
      for result in results {
        let sent = requests(in: result.stderr)
        #expect(sent <= count + 12, "a run sent \(sent) requests for \(count) links")
      }
    }
  }
}
