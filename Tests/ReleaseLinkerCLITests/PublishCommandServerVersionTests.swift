import Foundation
import GitLabEmulator
import Testing

/// Servers before GitLab 15.9 know a link's path only as `filepath`.
@Suite struct PublishCommandServerVersionTests {
  @Test func a15Point8ServerConvergesWithZeroWritesOnTheSecondRun() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      emulator.setGitLabVersion(EmulatedVersion(major: 15, minor: 8))
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for name in ["hello-linux-amd64", "hello-darwin-amd64", "hello.deb"] {
        try world.file("bin/\(name)")
      }
      let environment = ["CI_SERVER_VERSION": "15.8.3-ee"]
      let first = try world.run(["publish", "bin"], extra: environment)
      #expect(first.status == 0, "\(first.stderr)")
      #expect(
        Set(world.links.compactMap(\.directAssetPath)) == [
          "/bin/hello-linux-amd64", "/bin/hello-darwin-amd64", "/bin/hello.deb",
        ])

      emulator.resetStats()
      let again = try world.run(["publish", "bin"], extra: environment)
      #expect(again.status == 0, "\(again.stderr)")
      #expect(emulator.stats.writes == 0)
      #expect(again.stdout.contains("3 unchanged"))
    }
  }

  /// What a client that always sends `direct_asset_path` gets from an old server: links without a
  /// path, and an update on every run.
  @Test func withoutTheVersionA15Point8ServerDropsThePath() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      emulator.setGitLabVersion(EmulatedVersion(major: 15, minor: 8))
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      #expect(try world.run(["publish", "bin"]).status == 0)
      #expect(world.links.first?.directAssetPath == nil)
      emulator.resetStats()
      #expect(try world.run(["publish", "bin"]).status == 0)
      #expect(emulator.stats.writes == 1)
    }
  }

  @Test func anAccessTokenAsksTheServerForItsVersion() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      emulator.setGitLabVersion(EmulatedVersion(major: 15, minor: 4))
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      emulator.addPrivateToken("glpat-version-check", roles: [20: .developer])
      try world.file("bin/tool")
      let environment = ["GITLAB_TOKEN": "glpat-version-check", "CI_JOB_TOKEN": ""]
      #expect(try world.run(["publish", "bin"], extra: environment).status == 0)
      #expect(emulator.requestLog.contains { $0.rawPath == "/api/v4/version" && $0.status == 200 })
      #expect(world.links.first?.directAssetPath == "/bin/tool")
      emulator.resetStats()
      #expect(try world.run(["publish", "bin"], extra: environment).status == 0)
      #expect(emulator.stats.writes == 0)
    }
  }

  @Test func theCreateRequestOfANewReleaseCarriesFilepathToo() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      emulator.setGitLabVersion(EmulatedVersion(major: 15, minor: 8))
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      for index in 0..<4 { try world.file("bin/t\(index)") }
      let environment = ["CI_SERVER_VERSION": "15.8.0"]
      #expect(
        try world.run(["publish", "bin", "--create-release"], extra: environment).status == 0)
      #expect(world.links.allSatisfy { $0.directAssetPath?.hasPrefix("/bin/t") == true })
      emulator.resetStats()
      #expect(try world.run(["publish", "bin"], extra: environment).status == 0)
      #expect(emulator.stats.writes == 0)
    }
  }
}
