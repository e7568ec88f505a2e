import Foundation
import GitLabEmulator
import Testing

/// Issue 12, "Friendlier, as users expect": what a run prints.
extension PublishCommandTests {
  @Test func eachRunSaysHowManyLinksItKeptAndThatPruneDeletesThem() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      // Links an earlier build made (pointing into the project: --prune may delete them).
      for name in ["old-notes", "old-readme"] {
        emulator.addLink(
          projectID: 20, tag: "v1.7.0", name: name,
          url: PublishFixture.artifactURL("docs/\(name)", jobID: 600))
      }
      try world.file("bin/hello")

      let planned = try world.run(["plan", "bin"])
      #expect(planned.status == 0, "\(planned.stderr)")
      #expect(
        planned.stdout.contains(
          "2 existing links that no asset matches would be kept; --prune would delete them."))
      let published = try world.run(["publish", "bin"])
      #expect(
        published.stdout.contains(
          "Kept 2 existing links that no asset matches; --prune deletes them."))
      // With --output json the sentence goes to standard error, beside the summary.
      let json = try world.run(["publish", "bin", "--output", "json"])
      #expect(json.stderr.contains("Kept 2 existing links"))
      #expect(try PublishReport(json.stdout).summary["unchanged"] == 1)

      let pruned = try world.run(["publish", "bin", "--prune"])
      #expect(!pruned.stdout.contains("Kept"))
      #expect(world.links.map(\.name) == ["hello"])
    }
  }

  @Test func quietPrintsOnlyTheFailuresAndTheSummary() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for index in 1...40 { try world.file("dist/tool-\(index)") }
      // tool-7's link is there under an old name, and a link the run keeps holds the new one: that
      // update cannot succeed, every other link is created.
      emulator.addLink(
        projectID: 20, tag: "v1.7.0", name: "tool-7 (old)", url: "https://example.com/old-7",
        directAssetPath: "/dist/tool-7")
      emulator.addLink(
        projectID: 20, tag: "v1.7.0", name: "tool-7", url: "https://example.com/legacy-7",
        directAssetPath: "/legacy/tool-7")

      let loud = try world.run(["publish", "dist", "--dry-run"])
      #expect(loud.stdout.split(separator: "\n").count > 40)

      let quiet = try world.run(["publish", "dist", "--quiet"])
      #expect(quiet.status == 1, "\(quiet.stderr)")
      let lines = quiet.stdout.split(separator: "\n").map(String.init)
      #expect(lines.count == 4, "\(quiet.stdout)")
      #expect(lines[0].hasPrefix("failed to update") && lines[0].contains("tool-7"))
      #expect(lines[1].contains("held by link"))
      #expect(lines[2] == "v1.7.0: 39 created, 0 updated, 0 unchanged, 0 deleted, 1 failed.")
      #expect(lines[3].hasPrefix("Kept 1 existing link"))
      #expect(world.links.count == 41)
    }
  }

  @Test func theDryRunNamesTheReleaseItWouldCreate() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      let plain = try world.run(["plan", "bin", "--create-release"])
      #expect(plain.status == 0, "\(plain.stderr)")
      #expect(plain.stdout.hasPrefix("would create the release v1.7.0\n"))
      let named = try world.run([
        "plan", "bin", "--create-release", "--release-name", "Hello 1.7",
      ])
      #expect(named.stdout.hasPrefix("would create the release v1.7.0, named 'Hello 1.7'\n"))
      #expect(!emulator.hasRelease(projectID: 20, tag: "v1.7.0"))
      let created = try world.run([
        "publish", "bin", "--create-release", "--release-name", "Hello 1.7",
      ])
      #expect(created.stdout.hasPrefix("created the release v1.7.0, named 'Hello 1.7'\n"))
    }
  }

  @Test func aQuotedGlobIsExpandedByTheTool() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for name in ["a_1.0_amd64.deb", "b_1.0_arm64.deb", "notes.txt", "sub/c_1.0_all.deb"] {
        try world.file("dist/\(name)")
      }
      // As the template passes it: no shell expanded the pattern.
      let result = try world.run(["publish", "dist/*.deb", "dist/**/*_all.deb"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(
        world.links.map(\.name).sorted() == [
          "a_1.0_amd64.deb", "b_1.0_arm64.deb", "c_1.0_all.deb",
        ])
      #expect(
        world.links.first { $0.name == "c_1.0_all.deb" }?.url
          == PublishFixture.artifactURL("dist/sub/c_1.0_all.deb"))
    }
  }
}
