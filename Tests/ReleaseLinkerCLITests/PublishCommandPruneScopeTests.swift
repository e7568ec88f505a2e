import Foundation
import GitLabEmulator
import Testing

/// `--prune` limited by `--prune-scope` and `--prune-foreign`, through the real binary and the
/// emulator.
@Suite struct PublishCommandPruneScopeTests {
  @Test func twoScopedPublishersRunAlternatelyAndTheReleaseHoldsTheUnion() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("linux/hello-linux")
      try world.file("linux/hello.deb")
      try world.file("windows/hello.exe")
      // A link of an earlier linux build whose file is gone: the linux publisher's to remove.
      emulator.addLink(
        projectID: 20, tag: PublishFixture.tag, name: "hello-old",
        url: PublishFixture.artifactURL("linux/hello-old", jobID: 600),
        directAssetPath: "/linux/hello-old")
      let publishers: [[String]] = [
        ["publish", "linux", "--prune", "--prune-scope", "/linux/**"],
        ["publish", "windows", "--prune", "--prune-scope", "windows/**"],
      ]
      let union: Set<String> = ["hello-linux", "hello.deb", "hello.exe"]
      for round in 1...3 {
        for (index, publisher) in publishers.enumerated() {
          emulator.resetStats()
          let result = try world.run(publisher, jobID: 700 + index)
          #expect(result.status == 0, "round \(round): \(result.stdout)\(result.stderr)")
          let names = Set(world.links.map(\.name))
          if index == 1 {
            // The linux links are the other publisher's: they stay, and the run says why.
            #expect(
              result.stdout.contains(
                "Kept 2 existing links that no asset matches: 2 outside --prune-scope."),
              "\(result.stdout)")
          }
          if round == 1 && index == 0 {
            #expect(names == ["hello-linux", "hello.deb"])
            #expect(emulator.stats.writes == 3)  // two creates, the old link deleted
          } else {
            #expect(names == union, "round \(round), publisher \(index)")
          }
          if round > 1 { #expect(emulator.stats.writes == 0, "round \(round), publisher \(index)") }
        }
      }
    }
  }

  @Test func aHandMadeLinkSurvivesPruneAndGoesOnlyWithPruneForeign() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      let made = try world.run([
        "links", "create", "--name", "Website", "--url", "https://example.com/hello",
      ])
      try #require(made.status == 0, "\(made.stderr)")
      emulator.addLink(
        projectID: 20, tag: PublishFixture.tag, name: "stale",
        url: PublishFixture.artifactURL("bin/stale", jobID: 600), directAssetPath: "/bin/stale")

      let pruned = try world.run(["publish", "bin", "--prune"])
      #expect(pruned.status == 0, "\(pruned.stderr)")
      #expect(Set(world.links.map(\.name)) == ["Website", "hello"])
      #expect(
        pruned.stdout.contains(
          "Kept 1 existing link that no asset matches: 1 pointing outside this project, which "
            + "--prune-foreign deletes."), "\(pruned.stdout)")

      let again = try world.run(["publish", "bin", "--prune", "--dry-run", "--output", "json"])
      #expect(again.status == 0, "\(again.stderr)")
      #expect(try PublishReport(again.stdout).values("action") == ["unchanged"])

      let foreign = try world.run(["publish", "bin", "--prune", "--prune-foreign"])
      #expect(foreign.status == 0, "\(foreign.stderr)")
      #expect(world.links.map(\.name) == ["hello"])
    }
  }

  @Test func linksToThisProjectsPackagesAreItsOwn() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      emulator.addLink(
        projectID: 20, tag: PublishFixture.tag, name: "hello-0.9.tgz",
        url: "\(emulator.apiURL)/projects/20/packages/generic/hello/0.9/hello-0.9.tgz")
      emulator.addLink(
        projectID: 20, tag: PublishFixture.tag, name: "elsewhere",
        url: "\(emulator.apiURL)/projects/21/packages/generic/hello/0.9/hello-0.9.tgz")
      let pruned = try world.run(["publish", "bin", "--prune"])
      #expect(pruned.status == 0, "\(pruned.stderr)")
      #expect(Set(world.links.map(\.name)) == ["hello", "elsewhere"])
    }
  }

  @Test func scopeAndForeignWithoutPruneAreUsageErrors() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      for arguments in [["--prune-scope", "/bin/**"], ["--prune-foreign"]] {
        let result = try world.run(["publish", "bin"] + arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("--prune"))
      }
      let noProjectURL = try world.run(
        ["publish", "bin", "--prune"], extra: ["CI_PROJECT_URL": ""])
      #expect(noProjectURL.status == 64)
      #expect(noProjectURL.stderr.contains("CI_PROJECT_URL"))
      #expect(emulator.stats.requests == 0)
    }
  }
}
