import Foundation
import GitLabEmulator
import Testing

/// The token is sent as its kind requires, whatever variable or file it came in.
@Suite struct ConfigurationOptionsTokenTests {
  private func credentialHeaders(_ emulator: GitLabEmulator) -> Set<String> {
    Set(emulator.requestLog.flatMap(\.authHeaderNames))
  }

  @Test func gitLabTokenHoldingTheJobTokenWorksAndSendsJobToken() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      // The job's own token, pasted into GITLAB_TOKEN: equal to CI_JOB_TOKEN.
      let result = try world.run(
        ["publish", "bin"], extra: ["GITLAB_TOKEN": PublishFixture.jobToken])
      #expect(result.status == 0, "\(result.allOutput)")
      #expect(credentialHeaders(emulator) == ["JOB-TOKEN"])
      #expect(world.links.count == 1)
    }
  }

  @Test func aPrefixedJobTokenInGitLabTokenAloneIsAJobToken() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      let result = try world.run(
        ["publish", "bin"], extra: ["GITLAB_TOKEN": PublishFixture.jobToken, "CI_JOB_TOKEN": ""])
      #expect(result.status == 0, "\(result.allOutput)")
      #expect(credentialHeaders(emulator) == ["JOB-TOKEN"])
    }
  }

  @Test func aJobTokenInATokenFileIsSentAsJobToken() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      try Data((PublishFixture.jobToken + "\n").utf8).write(
        to: world.directory.appendingPathComponent("token"))
      let result = try world.run(
        ["publish", "bin", "--token-file", "token"], extra: ["CI_JOB_TOKEN": ""])
      #expect(result.status == 0, "\(result.allOutput)")
      #expect(credentialHeaders(emulator) == ["JOB-TOKEN"])
    }
  }

  @Test func anOAuthTokenGoesAsBearer() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      let oauth = String(repeating: "9a", count: 32)
      emulator.addPrivateToken(oauth, roles: [20: .developer])
      try world.file("bin/tool")
      let result = try world.run(
        ["publish", "bin"], extra: ["GITLAB_TOKEN": oauth, "CI_JOB_TOKEN": ""])
      #expect(result.status == 0, "\(result.allOutput)")
      #expect(credentialHeaders(emulator) == ["Authorization"])
      #expect(!result.allOutput.contains(oauth))
    }
  }

  @Test func aDeployTokenIsRefusedWith64BeforeAnyRequest() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      let result = try world.run(
        ["publish", "bin"], extra: ["GITLAB_TOKEN": "gldt-deploy-5ecret"])
      #expect(result.status == 64, "\(result.allOutput)")
      #expect(result.stderr.contains("deploy token"))
      #expect(result.stderr.contains("GITLAB_TOKEN"))
      #expect(!result.allOutput.contains("gldt-deploy-5ecret"))
      #expect(emulator.stats.requests == 0)
    }
  }

  @Test func a401NamesWhereTheTokenCameFrom() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      try Data("glpat-revoked-5ecret".utf8).write(
        to: world.directory.appendingPathComponent("pat"))
      let fromFile = try world.run(["publish", "bin", "--token-file", "pat"])
      #expect(fromFile.status == 77, "\(fromFile.allOutput)")
      #expect(fromFile.stderr.contains("access token from file pat was refused"))

      let fromVariable = try world.run(
        ["publish", "bin"], extra: ["GITLAB_TOKEN": "glpat-unknown-5ecret"])
      #expect(fromVariable.status == 77)
      #expect(fromVariable.stderr.contains("access token from variable GITLAB_TOKEN was refused"))

      emulator.setJobRunning(token: PublishFixture.jobToken, false)
      let finished = try world.run(["publish", "bin"])
      #expect(finished.status == 77)
      #expect(finished.stderr.contains("CI/CD job token from variable CI_JOB_TOKEN was refused"))
      #expect(!(fromFile.allOutput + fromVariable.allOutput).contains("5ecret"))
    }
  }
}
