import Foundation
import GitLabEmulator
import Testing

/// Issue 12, "Errors must tell the truth", through `publish`.
extension PublishCommandTests {
  @Test func anAPIRootThatIsNotGitLabsIsNamedNotTakenForAMissingRelease() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      for flags in [[], ["--create-release"]] {
        let result = try world.run(
          ["publish", "bin"] + flags, extra: ["CI_API_V4_URL": emulator.baseURL])
        #expect(result.status == 64, "\(flags): \(result.stderr)")
        #expect(result.stderr.contains("not GitLab's API root"), "\(result.stderr)")
        #expect(!result.stderr.contains("--create-release"), "\(result.stderr)")
      }
      #expect(emulator.stats.writes == 0)
    }
  }

  @Test func aJobWithoutArtifactsIsNamed() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      let result = try world.run(["publish", "--artifacts-job", "4242"])
      #expect(result.status == 1, "\(result.stderr)")
      #expect(result.stderr.contains("Job 4242 has no artifacts archive"))
      #expect(!result.stderr.contains("--create-release"))
      #expect(emulator.stats.writes == 0)
    }
  }
}
