import Foundation
import GitLabEmulator
import Testing

/// `--order`: what the release page (and `links list`, newest first like GitLab) shows.
@Suite struct PublishCommandOrderTests {
  /// The names `links list --output json` prints, in its order.
  func listedNames(_ world: PublishFixture) throws -> [String] {
    let listed = try world.run(["links", "list", "--output", "json"])
    try #require(listed.status == 0, "\(listed.stderr)")
    let links = try #require(
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    return links.compactMap { $0["name"] as? String }
  }

  @Test func aLinkOrderChosenWithOrderNameIsWhatLinksListShows() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      // Folders walk in another order than the names sort in.
      for (folder, name) in [("a", "zeta"), ("b", "Alpha"), ("c", "mid"), ("d", "beta")] {
        try world.file("dist/\(folder)/\(name)")
      }
      emulator.addLink(
        projectID: 20, tag: PublishFixture.tag, name: "older",
        url: PublishFixture.artifactURL("older", jobID: 600))

      let result = try world.run(["publish", "dist", "--order", "name", "--concurrency", "8"])
      #expect(result.status == 0, "\(result.stderr)")
      // GitLab shows the newest first: the run's links on top, in name order, then the older one.
      #expect(try listedNames(world) == ["Alpha", "beta", "mid", "zeta", "older"])

      emulator.resetStats()
      #expect(try world.run(["publish", "dist", "--order", "name"]).status == 0)
      #expect(emulator.stats.writes == 0)
    }
  }

  @Test func orderInputKeepsTheOrderTheAssetsWereGivenIn() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for (folder, name) in [("a", "zeta"), ("b", "Alpha"), ("c", "mid")] {
        try world.file("dist/\(folder)/\(name)")
      }
      try world.file("docs/README.md")
      let result = try world.run(["publish", "docs", "dist", "--order", "input"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try listedNames(world) == ["README.md", "zeta", "Alpha", "mid"])
    }
  }

  @Test func anUnknownOrderIsAUsageError() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("dist/a")
      let result = try world.run(["publish", "dist", "--order", "date"])
      #expect(result.status == 64)
      #expect(result.stderr.contains("name, path, input, none"))
    }
  }
}
