import Foundation
import Testing

@testable import ReleaseLinkerCore

/// Downloads stream to a file and follow redirects, sending the token to the API's origin only.
@Suite struct ArtifactDownloadTests {
  private static let handler = """
            if self.path == "/api/v4/projects/24/jobs/7/artifacts":
                self.reply(302, "", [("Location", "http://localhost:%d/storage/seven.zip" % port)])
            elif self.path == "/api/v4/projects/24/jobs/8/artifacts":
                self.reply(302, "", [("Location", "/storage/eight.zip")])
            elif self.path.startswith("/storage/"):
                self.reply(200, ("%s credentials=%s\\n" % (self.path, self.credentials())) * 2000)
            else:
                self.reply(404, '{"message":"404 Not found"}', [("Content-Type", "application/json")])
    """

  private func connection(port: Int) -> GitLabConnection {
    let transport = HTTPTransport(
      settings: TransportSettings(timeout: 20, retryPolicy: RetryPolicy(maximumRetries: 0)))
    return GitLabConnection(
      apiURL: "http://127.0.0.1:\(port)/api/v4",
      token: Token("glpat-download-secret", kind: .privateToken, source: .defaultValue),
      transport: transport)
  }

  private func temporaryFile() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "artifacts-\(UUID().uuidString).zip"
    )
    .path
  }

  @Test func aRedirectToAnotherHostDropsTheToken() throws {
    let server = try ScriptedHTTPServer(handler: Self.handler)
    let file = temporaryFile()
    defer { try? FileManager.default.removeItem(atPath: file) }
    try connection(port: server.port).downloadJobArtifacts(
      project: ProjectIdentifier("24"), jobID: "7", to: file)
    let contents = try String(contentsOfFile: file, encoding: .utf8)
    let lines = contents.split(separator: "\n")
    #expect(lines.count == 2000)
    #expect(lines.allSatisfy { $0 == "/storage/seven.zip credentials=none" })
  }

  @Test func aRedirectOnTheSameOriginKeepsTheToken() throws {
    let server = try ScriptedHTTPServer(handler: Self.handler)
    let file = temporaryFile()
    defer { try? FileManager.default.removeItem(atPath: file) }
    try connection(port: server.port).downloadJobArtifacts(
      project: ProjectIdentifier("24"), jobID: "8", to: file)
    let contents = try String(contentsOfFile: file, encoding: .utf8)
    #expect(contents.hasPrefix("/storage/eight.zip credentials=PRIVATE-TOKEN\n"))
  }

  @Test func aMissingJobIsAnErrorAndItsBodyIsNotWrittenToTheFile() throws {
    let server = try ScriptedHTTPServer(handler: Self.handler)
    let file = temporaryFile()
    defer { try? FileManager.default.removeItem(atPath: file) }
    #expect {
      try connection(port: server.port).downloadJobArtifacts(
        project: ProjectIdentifier("24"), jobID: "9", to: file)
    } throws: { error in
      (error as? GitLabAPIError)?.status == 404
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
    #expect(size == 0)
  }
}
