import Foundation
import GitLabEmulator
import Testing

/// `publish` and `plan` through the real binary against the emulator on loopback.
@Suite struct PublishCommandTests {
  @Test func theSeedExampleEndsWithTheLinkFromGitLabsDocs() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello-darwin-amd64", size: 1_048_576)

      let result = try world.run(["publish", "bin", "--output", "json"])
      #expect(result.status == 0, "\(result.stderr)")

      let links = world.links
      #expect(links.count == 1)
      #expect(links.first?.name == "hello-darwin-amd64")
      #expect(
        links.first?.url
          == "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/bin/hello-darwin-amd64"
      )
      #expect(links.first?.directAssetPath == "/bin/hello-darwin-amd64")
      #expect(links.first?.linkType == "other")

      let report = try PublishReport(result.stdout)
      #expect(report.root["project"] as? String == "20")
      #expect(report.root["tag"] as? String == "v1.7.0")
      #expect(report.root["dry_run"] as? Bool == false)
      #expect(report.values("action") == ["create"])
      #expect(report.values("status") == ["done"])
      #expect(report.values("id") == ["\(links.first?.id ?? -1)"])
      #expect(
        report.values("direct_asset_url") == [
          "https://gitlab.example.com/mynamespace/hello/-/releases/v1.7.0/downloads/bin/hello-darwin-amd64"
        ])
      #expect(report.values("artifact_path") == ["bin/hello-darwin-amd64"])
      #expect(report.values("size") == ["1048576"])
      #expect(report.values("sha256").first?.count == 64)
      #expect(report.values("error") == ["null"])
      #expect(
        report.summary == ["create": 1, "update": 0, "unchanged": 0, "delete": 0, "failed": 0])
    }
  }

  @Test func aSecondRunSendsNoWrite() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for name in ["hello-linux-amd64", "hello-darwin-amd64", "hello_1.7.0_amd64.deb"] {
        try world.file("dist/\(name)")
      }
      #expect(try world.run(["publish", "dist"]).status == 0)
      let first = world.links
      emulator.resetStats()

      let again = try world.run(["publish", "dist"])
      #expect(again.status == 0, "\(again.stderr)")
      #expect(emulator.stats.writes == 0)
      #expect(world.links == first)
      #expect(again.stdout.contains("0 created, 0 updated, 3 unchanged, 0 deleted, 0 failed."))
      #expect(first.first { $0.name == "hello_1.7.0_amd64.deb" }?.linkType == "package")
    }
  }

  @Test func aNewJobIDUpdatesEveryLinkInPlace() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for index in 1...5 { try world.file("bin/tool-\(index)") }
      #expect(try world.run(["publish", "bin"], jobID: 688).status == 0)
      let before = world.links

      let result = try world.run(["publish", "bin", "--output", "json"], jobID: 689)
      #expect(result.status == 0, "\(result.stderr)")
      let after = world.links
      #expect(Set(after.map(\.id)) == Set(before.map(\.id)))
      #expect(after.allSatisfy { $0.url.contains("/-/jobs/689/artifacts/raw/bin/tool-") })
      #expect(
        try PublishReport(result.stdout).values("action") == Array(repeating: "update", count: 5))
    }
  }

  @Test func linksNoAssetMatchesAreKeptUnlessPruned() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      emulator.addLink(
        projectID: 20, tag: "v1.7.0", name: "old-notes",
        url: PublishFixture.artifactURL("docs/old-notes.txt", jobID: 600),
        directAssetPath: "/docs/old-notes.txt")
      try world.file("bin/hello")

      #expect(try world.run(["publish", "bin"]).status == 0)
      #expect(Set(world.links.map(\.name)) == ["old-notes", "hello"])

      let pruned = try world.run(["publish", "bin", "--prune"])
      #expect(pruned.status == 0, "\(pruned.stderr)")
      #expect(world.links.map(\.name) == ["hello"])
      #expect(pruned.stdout.contains("old-notes"))
    }
  }

  @Test func moreLinksThanOnePageAreReadInFullAndNeverDuplicated() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for index in 1...135 { try world.file("dist/asset-\(index).bin", size: 4) }

      #expect(try world.run(["publish", "dist", "--concurrency", "8"]).status == 0)
      #expect(world.links.count == 135)
      emulator.resetStats()

      let again = try world.run(["publish", "dist", "--output", "json"])
      #expect(again.status == 0)
      #expect(emulator.stats.writes == 0)
      // 135 links need two pages of 100; a client trusting the default page size (20) would miss some.
      #expect(emulator.stats.requests <= 3)
      #expect(try PublishReport(again.stdout).summary["unchanged"] == 135)
      #expect(world.links.count == 135)
    }
  }

  @Test func namesSwappedBetweenTwoLinksLandWithoutTrippingUniqueness() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/alpha")
      try world.file("bin/beta")
      // The server holds the two links with each other's name and URL.
      emulator.addLink(
        projectID: 20, tag: "v1.7.0", name: "beta", url: PublishFixture.artifactURL("bin/beta"),
        directAssetPath: "/bin/alpha")
      emulator.addLink(
        projectID: 20, tag: "v1.7.0", name: "alpha", url: PublishFixture.artifactURL("bin/alpha"),
        directAssetPath: "/bin/beta")

      let result = try world.run(["publish", "bin"])
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
      let byPath = Dictionary(
        uniqueKeysWithValues: world.links.map { ($0.directAssetPath ?? "", $0) })
      #expect(byPath.count == 2)
      #expect(byPath["/bin/alpha"]?.name == "alpha")
      #expect(byPath["/bin/alpha"]?.url == PublishFixture.artifactURL("bin/alpha"))
      #expect(byPath["/bin/beta"]?.name == "beta")
    }
  }

  @Test func aRenameTakesANameOnlyAfterThePrunedLinkFreedIt() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool-v2")
      emulator.addLink(
        projectID: 20, tag: "v1.7.0", name: "tool",
        url: PublishFixture.artifactURL("bin/tool-v2", jobID: 600), directAssetPath: "/bin/tool-v2")
      emulator.addLink(
        projectID: 20, tag: "v1.7.0", name: "tool-v2",
        url: PublishFixture.artifactURL("legacy/tool", jobID: 600), directAssetPath: "/legacy/tool")

      // Kept, the legacy link holds the name: that link cannot be renamed, and the run says so.
      let kept = try world.run(["publish", "bin"])
      #expect(kept.status == 1)
      #expect(kept.stdout.contains("tool-v2"))
      #expect(world.links.count == 2)

      let pruned = try world.run(["publish", "bin", "--prune"])
      #expect(pruned.status == 0, "\(pruned.stdout)\(pruned.stderr)")
      #expect(world.links.map(\.name) == ["tool-v2"])
      #expect(world.links.first?.directAssetPath == "/bin/tool-v2")
    }
  }

  @Test func planAndDryRunSendNoWrite() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      emulator.addLink(
        projectID: 20, tag: "v1.7.0", name: "stale",
        url: PublishFixture.artifactURL("stale", jobID: 600))

      for arguments in [["plan", "bin", "--prune"], ["publish", "bin", "--prune", "--dry-run"]] {
        let result = try world.run(arguments + ["--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try PublishReport(result.stdout)
        #expect(report.root["dry_run"] as? Bool == true)
        #expect(report.values("status") == ["planned", "planned"])
        #expect(report.values("action") == ["create", "delete"])
      }
      #expect(emulator.stats.writes == 0)
      #expect(world.links.map(\.name) == ["stale"])
    }
  }

  @Test func aMissingReleaseIsNamedAndCreatedOnlyWhenAsked() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      try "Fixes and features.\n".write(
        to: world.directory.appendingPathComponent("NOTES.md"), atomically: true, encoding: .utf8)

      let refused = try world.run(["publish", "bin"])
      #expect(refused.status == 1)
      #expect(refused.stderr.contains("v1.7.0"))
      #expect(refused.stderr.contains("--create-release"))
      #expect(!emulator.hasRelease(projectID: 20, tag: "v1.7.0"))

      let created = try world.run([
        "publish", "bin", "--create-release", "--release-name", "Hello 1.7.0",
        "--release-notes", "NOTES.md",
      ])
      #expect(created.status == 0, "\(created.stderr)")
      #expect(emulator.hasRelease(projectID: 20, tag: "v1.7.0"))
      #expect(world.links.map(\.name) == ["hello"])

      // Once it exists, --create-release is harmless.
      #expect(try world.run(["publish", "bin", "--create-release"]).status == 0)
      #expect(world.links.count == 1)
    }
  }

  @Test func aRunThatCannotReadTheReleaseStillPrintsTheJSONDocument() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      try world.file("bin/hello")

      for command in [["publish"], ["plan"]] {
        let result = try world.run(
          command + ["bin", "--output", "json", "--report", "report.json"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("v1.7.0"))
        // Standard output holds the same document as the report: one link, failed, and why.
        let printed = try PublishReport(result.stdout)
        #expect(printed.values("status") == ["failed"])
        #expect(printed.values("error").first?.contains("v1.7.0") == true)
        #expect(printed.summary["failed"] == 1)
        let written = try PublishReport(file: world.directory.appendingPathComponent("report.json"))
        #expect(written.values("error") == printed.values("error"))
      }
      #expect(world.links.isEmpty)
    }
  }

  @Test func reportAndDotenvFilesAreWritten() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/a-tool")
      try world.file("bin/b-tool")

      let result = try world.run([
        "publish", "bin", "--report", "out.json", "--dotenv", "release.env",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      let report = try PublishReport(file: world.directory.appendingPathComponent("out.json"))
      #expect(report.summary["create"] == 2)
      let dotenv = try String(
        contentsOf: world.directory.appendingPathComponent("release.env"), encoding: .utf8)
      #expect(dotenv.contains("RELEASE_LINKER_TAG=v1.7.0\n"))
      #expect(dotenv.contains("RELEASE_LINKER_CREATED=2\n"))
      #expect(dotenv.contains("RELEASE_LINKER_FAILED=0\n"))
    }
  }

  @Test func insideGitLabCITheRunSitsInACollapsibleSection() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      let result = try world.run(["publish", "bin"], extra: ["CI": "true"])
      #expect(result.status == 0)
      #expect(result.stdout.contains("section_start:"))
      #expect(result.stdout.contains("section_end:"))
      let plain = try world.run(["publish", "bin"])
      #expect(!plain.stdout.contains("section_start:"))
      #expect(!plain.stdout.contains("\u{1B}["))
    }
  }

  @Test func collidingAssetsStopTheRunBeforeAnyRequest() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("linux/hello")
      try world.file("darwin/hello")
      let result = try world.run(["publish", "linux", "darwin"])
      #expect(result.status == 65)
      #expect(result.stderr.contains("hello"))
      #expect(emulator.stats.writes == 0)
      #expect(world.links.isEmpty)
    }
  }

  @Test func missingSettingsNameTheFlagAndTheVariable() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      var environment = world.environment()
      environment["CI_COMMIT_TAG"] = nil
      let result = try CLIRunner.run(
        ["publish", "bin"], environment: environment, in: world.directory)
      #expect(result.status == 64)
      #expect(result.stderr.contains("--tag") && result.stderr.contains("CI_COMMIT_TAG"))
    }
  }
}
