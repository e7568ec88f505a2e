import Foundation
import GitLabEmulator
import Testing

/// A small fault soak: `publish` against an emulator whose every API request may be reset, refused
/// with 503 or 429, committed with its answer lost, delayed, or (uploads) cut off mid-body, run
/// again while it fails. Within a few runs the release holds exactly the desired links, each once,
/// and the package each file once; a clean run after that writes nothing.
/// One request at a time (`--concurrency 1`) keeps the order of the requests, and so the fault each
/// one draws from the fixed seed, the same from one test run to the next; `--retries 0` lets the
/// faults make runs fail, so that the re-runs have something to repair.
/// (`python3 Benchmarks/bench.py soak` is the same at 10,000 links and 200 uploads, 8 at a time.)
@Suite struct PublishSoakTests {
  /// More runs than this is a re-run that did not repair.
  static let maximumRuns = 10
  static let seed: UInt64 = 42

  /// Runs `arguments` until it exits 0, at most ``maximumRuns`` times; returns how many it took
  /// (nil when it never converged) and every run's status.
  private func runUntilDone(
    _ arguments: [String], environment: [String: String], in directory: URL
  ) throws -> (runs: Int?, statuses: [Int32]) {
    var statuses: [Int32] = []
    for run in 1...Self.maximumRuns {
      let result = try CLIRunner.run(
        arguments, environment: environment, in: directory, timeout: 600)
      statuses.append(result.status)
      #expect(!result.allOutput.contains(PublishFixture.jobToken))
      // A failed run says why with an exit code of cli.md's table, never a crash.
      #expect([0, 1, 69].contains(result.status), "\(result.stderr.suffix(2000))")
      if result.status == 0 { return (run, statuses) }
    }
    return (nil, statuses)
  }

  /// Every kind the rates give a chance was injected at least once.
  private func expectEveryKindHappened(_ emulator: GitLabEmulator, _ rates: RandomFaultRates) {
    let counts = emulator.stats.faultsInjected
    for kind in RandomFaultKind.allCases where rates.probability(kind) > 0 {
      #expect((counts[kind] ?? 0) > 0, "no \(kind.rawValue) fault among \(counts)")
    }
  }

  @Test func linksConvergeToExactlyTheDesiredSetThroughRandomFaults() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      let names = (0..<150).map { String(format: "asset-%03d.bin", $0) }
      for (index, name) in names.enumerated() {
        try world.file("dist/\(name)", size: 16 + index % 7)
      }
      let rates = try RandomFaultRates([
        .reset: 0.08, .unavailable: 0.08, .commitReset: 0.06, .rateLimit: 0.04, .slow: 0.04,
      ])
      emulator.setRandomFaults(rates, seed: Self.seed)
      let arguments = [
        "publish", "dist", "--retries", "0", "--concurrency", "1", "--output", "json",
      ]
      let (runs, statuses) = try runUntilDone(
        arguments, environment: world.environment(), in: world.directory)
      #expect(runs != nil, "no run exited 0: \(statuses)")
      // With --retries 0 the first run cannot get through; the re-runs repair what it left.
      #expect(statuses.first != 0, "the faults did not make a run fail: \(statuses)")
      expectEveryKindHappened(emulator, rates)

      emulator.setRandomFaults(nil)
      let held = world.links
      let expected = Set(
        names.map { name in
          "\(name) \(PublishFixture.artifactURL("dist/\(name)")) /dist/\(name)"
        })
      let seen = held.map { "\($0.name) \($0.url) \($0.directAssetPath ?? "-")" }
      #expect(
        seen.count == Set(seen).count, "a duplicate link: \(seen.count) for \(Set(seen).count)")
      #expect(Set(seen) == expected, "missing: \(expected.subtracting(seen).sorted().prefix(5))")

      emulator.resetStats()
      let clean = try world.run(arguments)
      #expect(clean.status == 0, "\(clean.stderr)")
      #expect(emulator.stats.writes == 0)
      #expect(world.links == held)
    }
  }

  @Test func uploadsConvergeToEachFileOnceAndLinkedThroughRandomFaults() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      let names = (0..<24).map { String(format: "package-%02d.bin", $0) }
      for (index, name) in names.enumerated() {
        try fixture.file("bin/\(name)", String(repeating: "\(index) uploaded bytes ", count: 400))
      }
      let rates = try RandomFaultRates([
        .reset: 0.04, .unavailable: 0.04, .commitReset: 0.08, .rateLimit: 0.05, .slow: 0.04,
        .bodyReset: 0.2,
      ])
      emulator.setRandomFaults(rates, seed: Self.seed)
      let arguments = [
        "publish", "bin", "--upload", "generic", "--retries", "0", "--concurrency", "1",
        "--output", "json",
      ]
      var environment = fixture.world.environment()
      environment["CI_PROJECT_URL"] = fixture.projectURL
      let (runs, statuses) = try runUntilDone(
        arguments, environment: environment, in: fixture.directory)
      #expect(runs != nil, "no run exited 0: \(statuses)")
      // With --retries 0 the first run cannot get through; the re-runs repair what it left.
      #expect(statuses.first != 0, "the faults did not make a run fail: \(statuses)")
      expectEveryKindHappened(emulator, rates)

      emulator.setRandomFaults(nil)
      let files = fixture.packageFiles
      #expect(files.map(\.fileName).sorted() == names, "each file exactly once")
      for file in files {
        let local = try Data(
          contentsOf: fixture.directory.appendingPathComponent("bin/\(file.fileName)"))
        #expect(file.size == local.count, "\(file.fileName)")
      }
      let links = fixture.links
      #expect(links.count == names.count, "one link per file")
      for name in names {
        let file = try #require(files.first { $0.fileName == name })
        let linked = links.filter { $0.name == name }
        #expect(linked.map(\.url) == [fixture.downloadURL(file)], "\(name)")
        #expect(linked.map(\.directAssetPath) == ["/bin/\(name)"])
      }

      emulator.resetStats()
      let clean = try fixture.run(arguments)
      #expect(clean.status == 0, "\(clean.stderr)")
      #expect(emulator.stats.writes == 0)
      #expect(emulator.stats.uploads == 0)
    }
  }
}
