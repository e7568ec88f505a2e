import Foundation
import GitLabEmulator
import Testing

/// Answers no GitLab gives, and settings that would make requests misbehave: each ends with the
/// exit code that says whose fault it is, and a sentence that says what happened.
@Suite(.serialized) struct MisbehavingServerTests {
  static let token = "glcbt-misbehaving-token"

  private func links(_ server: HostileServer) throws -> CLIResult {
    try CLIRunner.run(
      ["links", "list", "--retries", "0"],
      environment: server.environment(
        token: Self.token, directory: FileManager.default.temporaryDirectory))
  }

  @Test(arguments: ["file:///etc/passwd", "gopher://127.0.0.1:70/1", "ftp://example.com/x"])
  func aRedirectToSomethingOtherThanHTTPIsTheServersFault(location: String) throws {
    let server = try HostileServer(handler: "reply(302, '', [('Location', '\(location)')])")
    let result = try links(server)
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("redirect to a URL that is not http(s)"), "\(result.stderr)")
    #expect(result.stderr.contains(location))
    #expect(!result.stderr.contains("Check --api-url"))
  }

  @Test func anHTTP09AnswerIsTheServersFault() throws {
    let server = try HostileServer(
      handler: """
        self.wfile.write(b"hello, no status line and no headers\\n")
        self.wfile.flush()
        self.close_connection = True
        """)
    let result = try links(server)
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("not valid HTTP"), "\(result.stderr)")
    #expect(result.stderr.contains("HTTP/0.9"))
    #expect(!result.stderr.contains("Check --api-url"))
  }

  @Test func aTimeoutBelowAMillisecondIsRefusedNotTakenAsNoLimit() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 20, path: "group/app")
      emulator.addRelease(projectID: 20, tag: "v1.0")
      emulator.addJobToken(Self.token, projectID: 20)
      // Were the timeout read as "none", this answer would hold the run for a minute.
      emulator.script(method: "GET", pathSuffix: "/assets/links", [.delay(milliseconds: 60_000)])
      let environment = [
        "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20", "CI_COMMIT_TAG": "v1.0",
        "CI_JOB_TOKEN": Self.token,
      ]
      for timeout in ["0.0009", "0", "-1", "nan"] {
        let result = try CLIRunner.run(
          ["links", "list", "--timeout", timeout], environment: environment, timeout: 20)
        #expect(result.status == 64, "\(timeout): \(result.stderr)")
        #expect(result.stderr.contains("--timeout"), "\(timeout): \(result.stderr)")
      }
      #expect(emulator.stats.requests == 0)
      let result = try CLIRunner.run(
        ["links", "list", "--timeout", "0.001", "--retries", "0"], environment: environment,
        timeout: 20)
      #expect(result.status == 69, "\(result.stderr)")
      #expect(result.stderr.contains("timed out"))
    }
  }

  @Test(arguments: ["abc\r\nX-Injected: 1", "abc\ndef", "glpat-\u{1B}[2J"])
  func aTokenWithAControlCharacterIsRefusedBeforeAnyRequest(token: String) throws {
    try withEmulator { emulator in
      emulator.addProject(id: 20, path: "group/app")
      emulator.addRelease(projectID: 20, tag: "v1.0")
      let base = [
        "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20", "CI_COMMIT_TAG": "v1.0",
      ]
      for variable in ["GITLAB_TOKEN", "CI_JOB_TOKEN"] {
        let result = try CLIRunner.run(
          ["links", "list"], environment: base.merging([variable: token]) { $1 })
        #expect(result.status == 64, "\(variable): \(result.stderr)")
        #expect(result.stderr.contains("control character"))
        #expect(result.stderr.contains(variable))
        #expect(!result.allOutput.contains("X-Injected"))
      }
      #expect(emulator.stats.requests == 0)
    }
  }
}
