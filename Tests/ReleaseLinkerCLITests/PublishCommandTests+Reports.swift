import Foundation
import GitLabEmulator
import Testing

/// Issue 12: the reports (`--report`, `--dotenv`, `--output json`) are written however a run ends
/// once its options parsed, each link with its status; their folders are made when missing.
extension PublishCommandTests {
  /// The three reports of a run that was given `--report out/report.json --dotenv out/release.env
  /// --output json`.
  private struct Reports {
    let printed: PublishReport
    let written: PublishReport
    let dotenv: String

    init(_ result: CLIResult, in world: PublishFixture) throws {
      printed = try PublishReport(result.stdout)
      written = try PublishReport(
        file: world.directory.appendingPathComponent("out/report.json"))
      dotenv = try String(
        contentsOf: world.directory.appendingPathComponent("out/release.env"), encoding: .utf8)
    }
  }

  private static let reportFlags = [
    "--report", "out/report.json", "--dotenv", "out/release.env", "--output", "json",
  ]

  @Test func collidingLinksAreEachReportedWithWhyAndNothingIsSent() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("linux/hello")
      try world.file("darwin/hello")
      try world.file("unique/other")
      let result = try world.run(["publish", "linux", "darwin", "unique"] + Self.reportFlags)
      #expect(result.status == 65, "\(result.stderr)")
      let reports = try Reports(result, in: world)
      for report in [reports.printed, reports.written] {
        #expect(report.values("status") == ["failed", "failed", "failed"])
        // The release was never read: whether a link would be created is not known.
        #expect(report.values("action") == ["null", "null", "null"])
        #expect(report.values("error")[0].contains("name 'hello' is also derived"))
        #expect(report.values("error")[2].hasPrefix("Not attempted"))
        #expect((report.root["error"] as? String)?.contains("collision") == true)
        #expect(report.summary["failed"] == 3)
      }
      #expect(reports.dotenv.contains("RELEASE_LINKER_FAILED=3\n"))
      #expect(emulator.stats.requests == 0)
    }
  }

  @Test(arguments: [
    (["empty"], "No assets to link: 'empty' holds no regular file"),
    (["nowhere"], "Cannot scan 'nowhere'"),
  ])
  func aRunWithoutAssetsStillWritesItsReports(paths: [String], sentence: String) throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try FileManager.default.createDirectory(
        at: world.directory.appendingPathComponent("empty"), withIntermediateDirectories: true)
      let result = try world.run(["publish"] + paths + Self.reportFlags)
      #expect(result.status == 65, "\(result.stderr)")
      #expect(result.stderr.contains(sentence))
      let reports = try Reports(result, in: world)
      #expect(reports.written.links.isEmpty)
      #expect(reports.written.root["tag"] as? String == "v1.7.0")
      #expect((reports.written.root["error"] as? String)?.contains(sentence) == true)
      #expect(reports.printed.root["error"] as? String == reports.written.root["error"] as? String)
      #expect(reports.dotenv.contains("RELEASE_LINKER_TAG=v1.7.0\n"))
    }
  }

  @Test func aRefusedTokenReportsEveryLinkWithoutCallingExistingOnesNew() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/one")
      try world.file("bin/two")
      #expect(try world.run(["publish", "bin"]).status == 0)

      let result = try world.run(
        ["publish", "bin"] + Self.reportFlags, extra: ["CI_JOB_TOKEN": "glcbt-64_expired"])
      #expect(result.status == 77, "\(result.stderr)")
      let reports = try Reports(result, in: world)
      for report in [reports.printed, reports.written] {
        #expect(report.values("name") == ["one", "two"])
        #expect(report.values("status") == ["failed", "failed"])
        #expect(!report.values("action").contains("create"))
        #expect(report.values("error").allSatisfy { $0.contains("401") })
      }
      #expect(reports.dotenv.contains("RELEASE_LINKER_CREATED=0\n"))
      #expect(reports.dotenv.contains("RELEASE_LINKER_FAILED=2\n"))
      #expect(world.links.count == 2)
    }
  }

  @Test func aMissingSettingStillWritesTheReports() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      let result = try world.run(
        ["publish", "bin"] + Self.reportFlags, extra: ["CI_COMMIT_TAG": ""])
      #expect(result.status == 64, "\(result.stderr)")
      let reports = try Reports(result, in: world)
      #expect(reports.written.root["tag"] is NSNull)
      #expect((reports.written.root["error"] as? String)?.contains("--tag") == true)
      #expect(emulator.stats.requests == 0)
    }
  }

  @Test func missingReportFoldersAreMade() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      let result = try world.run([
        "publish", "bin", "--report", "reports/deep/report.json", "--dotenv", "env/release.env",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      let report = try PublishReport(
        file: world.directory.appendingPathComponent("reports/deep/report.json"))
      #expect(report.summary["create"] == 1)
      #expect(
        FileManager.default.fileExists(
          atPath: world.directory.appendingPathComponent("env/release.env").path))
    }
  }

  @Test func aReportThatCannotBeWrittenStopsTheRunBeforeAnyRequest() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      // A file where a folder should be: no user, root included, can write below it.
      try world.file("taken")
      for flag in ["--report", "--dotenv"] {
        for path in ["taken/out", "bin"] {
          let result = try world.run(["publish", "bin", flag, path])
          #expect(result.status == 64, "\(flag) \(path): \(result.stderr)")
          #expect(result.stderr.contains("'\(path)'") && result.stderr.contains(flag))
        }
      }
      #expect(emulator.stats.requests == 0)
      #expect(world.links.isEmpty)
    }
  }
}
