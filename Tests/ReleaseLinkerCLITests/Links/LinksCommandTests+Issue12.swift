import Foundation
import GitLabEmulator
import Testing

/// Terminal columns of a line whose wide characters are the CJK ideographs the tests use.
private func columns(_ text: Substring) -> Int {
  text.unicodeScalars.reduce(0) { $0 + ((0x3000...0x9FFF).contains($1.value) ? 2 : 1) }
}

/// Issue 12 through `links`: tables that fit, help that lists what the command uses, 404s and URLs
/// that say the truth.
extension LinksCommandTests {
  @Test func theListTableFitsTheWidthAndLinesUpWideNames() throws {
    try withEmulator { emulator in
      seed(emulator)
      let long = "https://downloads.example.com/" + String(repeating: "deep/", count: 30) + "x.bin"
      emulator.addLink(projectID: 24, tag: "v0.1", name: "发布说明", url: long)
      emulator.addLink(
        projectID: 24, tag: "v0.1", name: "tool", url: "https://example.com/tool",
        directAssetPath: "/bin/tool")
      for (variables, width) in [([String: String](), 80), (["COLUMNS": "60"], 60)] {
        let result = try CLIRunner.run(
          ["links", "list"], environment: environment(emulator).merging(variables) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4, "a header, two links and the count: \(result.stdout)")
        for line in lines.prefix(3) { #expect(columns(line) <= width, "\(line)") }
        #expect(lines.contains { $0.contains("…") && $0.hasSuffix("x.bin") })
        // The type column starts at the same terminal column on every row.
        let starts = lines.prefix(3).compactMap { line in
          (line.range(of: " TYPE ") ?? line.range(of: " other "))
            .map { columns(line[..<$0.lowerBound]) }
        }
        #expect(starts.count == 3 && Set(starts).count == 1, "\(result.stdout)")
      }
    }
  }

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
