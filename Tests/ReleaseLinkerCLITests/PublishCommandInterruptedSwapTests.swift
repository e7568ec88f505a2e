import Foundation
import GitLabEmulator
import Testing

/// A run killed half-way through a swap leaves one link parked on temporary values; the next run
/// recognises release-linker's own marker and repairs the link, or removes it, with or without
/// `--prune`.
@Suite(.serialized) struct PublishCommandInterruptedSwapTests {
  @Test func aSwapKilledAfterParkingIsRepairedByTheNextRun() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("dist/one.txt")
      try world.file("dist/two.txt")
      let one = PublishFixture.artifactURL("dist/one.txt")
      let two = PublishFixture.artifactURL("dist/two.txt")
      // Each link holds the name the other one's file needs: a swap.
      let first = emulator.addLink(
        projectID: PublishFixture.projectID, tag: PublishFixture.tag, name: "two.txt", url: one,
        directAssetPath: "/dist/one.txt")
      let second = emulator.addLink(
        projectID: PublishFixture.projectID, tag: PublishFixture.tag, name: "one.txt", url: two,
        directAssetPath: "/dist/two.txt")
      for id in [first, second] {
        emulator.script(
          method: "PUT", pathSuffix: "/assets/links/\(id)", [.delay(milliseconds: 3_000)])
      }
      let run = try CLIRunner.start(
        ["publish", "dist"], environment: world.environment(), in: world.directory)
      // The park is committed as it arrives; its answer is held back, and the run killed then.
      let deadline = Date().addingTimeInterval(60)
      while !emulator.requestLog.contains(where: { $0.method == "PUT" }) && Date() < deadline {
        usleep(20_000)
      }
      run.signal(SIGKILL)
      _ = try? run.wait(timeout: 30)
      let left = world.links
      #expect(left.contains { $0.name.contains("release-linker-parked-") }, "\(left)")

      let repaired = try world.run(["publish", "dist"])
      #expect(repaired.status == 0, "\(repaired.stderr)")
      let links = world.links.sorted { $0.name < $1.name }
      #expect(links.map(\.name) == ["one.txt", "two.txt"], "\(links)")
      #expect(links.map(\.url) == [one, two])
      #expect(links.map(\.directAssetPath) == ["/dist/one.txt", "/dist/two.txt"])
      #expect(Set(links.map(\.id)) == [first, second], "repaired in place, nothing created")

      let again = try world.run(["publish", "dist", "-o", "json"])
      #expect(try PublishReport(again.stdout).values("action") == ["unchanged", "unchanged"])
    }
  }

  @Test func aParkedLinkNoAssetMatchesIsRemovedWithoutPrune() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("dist/app.deb")
      let created = try world.run([
        "links", "create", "--name", "old.txt", "--url", "https://example.com/old.txt",
        "-o", "json",
      ])
      let object = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8))
      let id = try #require((object as? [String: Any])?["id"] as? Int)
      let marker = "release-linker-parked-\(id)"
      let parked = try world.run([
        "links", "update", String(id), "--name", "old.txt (\(marker))",
        "--url", "https://example.com/old.txt#\(marker)",
      ])
      #expect(parked.status == 0, "\(parked.stderr)")
      // Another link, kept as always without --prune.
      emulator.addLink(
        projectID: PublishFixture.projectID, tag: PublishFixture.tag, name: "notes",
        url: "https://example.com/notes")

      let result = try world.run(["publish", "dist", "-o", "json"])
      #expect(result.status == 0, "\(result.stderr)")
      let report = try PublishReport(result.stdout)
      #expect(report.values("action").sorted() == ["create", "delete"])
      #expect(world.links.map(\.name).sorted() == ["app.deb", "notes"])
    }
  }
}
