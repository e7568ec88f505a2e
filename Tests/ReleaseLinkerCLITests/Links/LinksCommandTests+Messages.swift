import Foundation
import GitLabEmulator
import Testing

/// What the `links` commands say: help that lists only what they use, 404s and URLs that tell the
/// truth, argument errors that name the problem (issue 12).
extension LinksCommandTests {
  @Test func linksAndDoctorHelpListOnlyTheOptionsTheyUse() throws {
    let unused = ["--job-id", "--project-url", "--job-name", "--root", "--concurrency"]
    for command in [
      ["links", "list"], ["links", "get"], ["links", "create"], ["links", "update"],
      ["links", "delete"], ["doctor"],
    ] {
      let help = try CLIRunner.run(command + ["--help"], environment: ["COLUMNS": "200"])
      #expect(help.status == 0)
      for flag in unused { #expect(!help.stdout.contains(flag), "\(command) lists \(flag)") }
      #expect(help.stdout.contains("$CI_SERVER_URL"), "\(command): --api-url's fallback")
      #expect(help.stdout.contains("$CI_PROJECT_PATH"), "\(command): --project's fallback")
    }
    let publish = try CLIRunner.run(["publish", "--help"], environment: ["COLUMNS": "200"])
    for flag in unused { #expect(publish.stdout.contains(flag), "publish lacks \(flag)") }
  }

  @Test func anAPIURLWithoutAPIv4IsNamedAsNotGitLabsAPIRoot() throws {
    try withEmulator { emulator in
      seed(emulator)
      var env = environment(emulator)
      env["CI_API_V4_URL"] = emulator.baseURL
      let result = try CLIRunner.run(["links", "list"], environment: env)
      #expect(result.status == 64, "\(result.stderr)")
      #expect(result.stderr.contains("not GitLab's API root"))
      #expect(result.stderr.contains("/api/v4"))
      #expect(!result.stderr.contains("--create-release"))
    }
  }

  @Test func credentialsInTheAPIURLNeverShow() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.addLink(projectID: 24, tag: "v0.1", name: "one", url: "https://example.com/one")
      var env = environment(emulator)
      env["CI_API_V4_URL"] = emulator.apiURL.replacingOccurrences(
        of: "http://", with: "http://proxy-user:pr0xy-pa55word@")
      let listed = try CLIRunner.run(["links", "list", "--verbose"], environment: env)
      #expect(listed.status == 0, "\(listed.stderr)")
      #expect(listed.stderr.contains("> GET http://[REDACTED]@127.0.0.1"))
      let doctor = try CLIRunner.run(["doctor", "--verbose"], environment: env)
      #expect(doctor.stdout.contains("http://[REDACTED]@127.0.0.1"))
      let refused = try CLIRunner.run(
        ["links", "list", "--api-url", "ftp://proxy-user:pr0xy-pa55word@host/api/v4"],
        environment: env)
      #expect(refused.status == 64)
      for result in [listed, doctor, refused] {
        #expect(!result.allOutput.contains("pr0xy-pa55word"))
        #expect(!result.allOutput.contains(Self.token))
      }
    }
  }

  @Test func aWrongLinkTypeGetsTheSameSentenceFromEveryOption() throws {
    let sentence = "'binary' is not a link type: use one of other, runbook, image, package."
    for arguments in [
      ["links", "create", "--name", "n", "--url", "https://x/n", "--link-type", "binary"],
      ["links", "update", "3", "--link-type", "binary"],
      ["scan", "a.bin", "--link-type", "binary"],
      ["scan", "a.bin", "--type-rule", "binary=**/*.bin"],
      ["publish", "a.bin", "--link-type", "binary"],
    ] {
      let result = try CLIRunner.run(arguments)
      #expect(result.status == 64, "\(arguments)")
      #expect(result.stderr.contains(sentence), "\(arguments): \(result.stderr)")
    }
  }

  @Test func argumentErrorsSayWhatIsWrong() throws {
    for (arguments, sentence) in [
      (["--retries", "-1"], "--retries must be between 0 and 20, not -1."),
      (["--timeout", "-5"], "--timeout must be a positive number of seconds, not -5.0."),
      (["--retries", "many"], "'many' is invalid for '--retries"),
    ] {
      let result = try CLIRunner.run(
        ["links", "list"] + arguments,
        environment: [
          "CI_API_V4_URL": "http://127.0.0.1:9/api/v4", "CI_PROJECT_ID": "1",
          "CI_COMMIT_TAG": "v1",
        ])
      #expect(result.status == 64, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(sentence), "\(arguments): \(result.stderr)")
      #expect(!result.stderr.contains("Missing value"))
    }
  }
}
