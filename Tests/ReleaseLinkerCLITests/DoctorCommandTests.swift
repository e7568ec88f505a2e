import Foundation
import GitLabEmulator
import Testing

@Suite(.serialized) struct DoctorCommandTests {
  static let token = "glpat-doctor-5ecret-value"

  @Test func printsEachSettingWithItsSourceAndPassesTheChecks() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addRelease(projectID: 24, tag: "v0.1")
      emulator.addPrivateToken(Self.token, roles: [24: .developer])
      let result = try CLIRunner.run(
        ["doctor", "--tag", "v0.1", "--timeout", "12"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_PATH": "namespace/project",
          "GITLAB_TOKEN": Self.token,
        ])
      #expect(result.status == 0, "\(result.allOutput)")
      let lines = result.stdout.split(separator: "\n").map(String.init)
      func line(_ label: String) -> String { lines.first { $0.hasPrefix("  \(label) ") } ?? "" }
      #expect(line("API URL").contains(emulator.apiURL))
      #expect(line("API URL").contains("variable CI_API_V4_URL"))
      #expect(line("project").contains("namespace/project"))
      #expect(line("project").contains("variable CI_PROJECT_PATH"))
      #expect(line("tag").contains("flag --tag"))
      #expect(line("timeout").contains("12 s"))
      #expect(line("timeout").contains("flag --timeout"))
      #expect(line("retries").contains("5"))
      #expect(line("retries").contains("default"))
      #expect(line("max wait").contains("120 s"))
      #expect(line("token").contains("PRIVATE-TOKEN"))
      #expect(line("token").contains("variable GITLAB_TOKEN"))
      #expect(!result.allOutput.contains(Self.token))
      #expect(result.stdout.contains("[pass] GitLab answers"))
      #expect(result.stdout.contains("[pass] The token can read the release 'v0.1'"))
    }
  }

  @Test func aMissingReleaseFailsTheCheckWithExit1() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addJobToken("doctor-job-token", projectID: 24, jobID: 3)
      let result = try CLIRunner.run(
        ["doctor"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "24", "CI_COMMIT_TAG": "v9.9",
          "CI_JOB_TOKEN": "doctor-job-token",
        ])
      #expect(result.status == 1, "\(result.allOutput)")
      #expect(result.stdout.contains("JOB-TOKEN"))
      #expect(result.stdout.contains("variable CI_JOB_TOKEN"))
      #expect(result.stdout.contains("[pass] GitLab answers"))
      #expect(result.stdout.contains("[fail] The token cannot read the release 'v9.9'"))
      #expect(!result.allOutput.contains("doctor-job-token"))
    }
  }

  @Test func aRefusedTokenFailsWith77() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addRelease(projectID: 24, tag: "v0.1")
      let result = try CLIRunner.run(
        ["doctor"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "24", "CI_COMMIT_TAG": "v0.1",
          "GITLAB_TOKEN": "glpat-unknown-doctor",
        ])
      #expect(result.status == 77, "\(result.allOutput)")
      #expect(result.stdout.contains("[fail]"))
      #expect(!result.allOutput.contains("glpat-unknown-doctor"))
    }
  }

  @Test func missingSettingsAreListedAndNothingIsContacted() throws {
    let result = try CLIRunner.run(["doctor"], environment: [:])
    #expect(result.status == 64)
    #expect(result.stdout.contains("CI_API_V4_URL"))
    #expect(result.stdout.contains("CI_COMMIT_TAG"))
    #expect(result.stdout.contains("GITLAB_TOKEN"))
    #expect(result.stdout.contains("CI_JOB_TOKEN"))
    #expect(result.stdout.contains("[skip]"))
  }

  @Test func anUnreachableServerFailsWith69() throws {
    let result = try CLIRunner.run(
      ["doctor", "--retries", "0"],
      environment: [
        "CI_API_V4_URL": "http://127.0.0.1:9/api/v4", "CI_PROJECT_ID": "24", "CI_COMMIT_TAG": "v1",
        "GITLAB_TOKEN": Self.token,
      ])
    #expect(result.status == 69)
    #expect(result.stdout.contains("[fail] GitLab does not answer"))
  }

  @Test func showsTheVersionTheTokensKindAndRoleAndTheRateLimit() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addRelease(projectID: 24, tag: "v0.1")
      emulator.addPrivateToken(Self.token, roles: [24: .maintainer])
      emulator.setGitLabVersion(EmulatedVersion(major: 15, minor: 8))
      emulator.setRateLimit(RateLimiter(limit: 600, period: 60))
      let result = try CLIRunner.run(
        ["doctor"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "24", "CI_COMMIT_TAG": "v0.1",
          "GITLAB_TOKEN": Self.token,
        ])
      #expect(result.status == 0, "\(result.allOutput)")
      #expect(result.stdout.contains("access token, sent as PRIVATE-TOKEN"))
      #expect(
        result.stdout.contains(
          "[pass] GitLab 15.8.0 (from GET /version): links are sent with filepath"))
      #expect(
        result.stdout.contains(
          "[pass] The token may write release links: its role in the project is Maintainer."))
      #expect(result.stdout.contains("RateLimit-Limit: 600"))
      #expect(result.stdout.contains("RateLimit-Remaining: "))
      #expect(result.stdout.contains("publish paces its requests"))
      #expect(!result.allOutput.contains(Self.token))
    }
  }

  @Test func aJobTokenSaysPlainlyThatWritingCannotBeChecked() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addRelease(projectID: 24, tag: "v0.1")
      emulator.addJobToken("doctor-job-token", projectID: 24, jobID: 3)
      let result = try CLIRunner.run(
        ["doctor"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "24", "CI_COMMIT_TAG": "v0.1",
          "CI_JOB_TOKEN": "doctor-job-token", "CI_SERVER_VERSION": "17.5.1-ee",
        ])
      #expect(result.status == 0, "\(result.allOutput)")
      #expect(result.stdout.contains("CI/CD job token, sent as JOB-TOKEN"))
      #expect(result.stdout.contains("GitLab version 17.5.1-ee  (variable CI_SERVER_VERSION)"))
      #expect(result.stdout.contains("[skip] Write permission could not be checked"))
      #expect(result.stdout.contains("no rate-limit headers"))
      #expect(!emulator.requestLog.contains { $0.rawPath == "/api/v4/version" })
    }
  }

  @Test func aReporterCannotWriteAndFailsWith77() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addRelease(projectID: 24, tag: "v0.1")
      emulator.addPrivateToken(Self.token, roles: [24: .reporter])
      let result = try CLIRunner.run(
        ["doctor"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "24", "CI_COMMIT_TAG": "v0.1",
          "GITLAB_TOKEN": Self.token,
        ])
      #expect(result.status == 77, "\(result.allOutput)")
      #expect(result.stdout.contains("[fail] The token may not write release links"))
      #expect(result.stdout.contains("Reporter"))
    }
  }
}
