import Foundation
import Testing

/// A server (or a proxy in front of it) that echoes the request's token back — in a 400's
/// message, a 502 page, a 200 that is not JSON — must never get it printed or written.
@Suite(.serialized) struct EchoedTokenTests {
  static let token = "glcbt-64_echoed-back-5ecret"
  static let release = "/api/v4/projects/20/releases/v1.0"

  /// Answers the release and its (empty) listing honestly, and every write with the token.
  static let echoingWrites = """
    if method == "GET" and path == "\(release)":
        reply(200, '{"tag_name":"v1.0","name":"v1.0"}')
    elif method == "GET" and path == "\(release)/assets/links":
        reply(200, '[]', [("X-Next-Page", "")])
    else:
        n = STATE["n"] = STATE.get("n", 0) + 1
        if n % 3 == 1:
            reply(400, '{"message":"bad header JOB-TOKEN: %s"}' % token)
        elif n % 3 == 2:
            reply(502, '<html><body><h1>502 Bad Gateway</h1><p>upstream saw JOB-TOKEN=%s</p></body></html>' % token, [("Content-Type", "text/html")])
        else:
            reply(200, 'ok, stored for token %s' % token, [("Content-Type", "text/plain")])
    """

  private func files(_ names: [String]) throws -> URL {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("echo-\(UUID().uuidString)")
    for name in names {
      let file = directory.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data("x".utf8).write(to: file)
    }
    return directory
  }

  @Test func publishNeverShowsOrWritesAnEchoedToken() throws {
    let server = try HostileServer(handler: Self.echoingWrites)
    let directory = try files(["bin/one", "bin/two", "bin/three"])
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = server.environment(token: Self.token, directory: directory)
    for output in ["text", "json"] {
      let result = try CLIRunner.run(
        [
          "publish", "bin", "--concurrency", "1", "--retries", "0", "-o", output,
          "--report", "report.json", "--dotenv", "report.env",
        ], environment: environment, in: directory)
      #expect(result.status != 0)
      #expect(result.allOutput.contains("bad header JOB-TOKEN: [REDACTED]"), "\(result.allOutput)")
      #expect(!result.allOutput.contains(Self.token), "\(output): \(result.allOutput)")
      let report = try String(
        contentsOf: directory.appendingPathComponent("report.json"), encoding: .utf8)
      #expect(report.contains("[REDACTED]"))
      #expect(!report.contains(Self.token))
    }
  }

  @Test func doctorNeverShowsAnEchoedToken() throws {
    let server = try HostileServer(
      handler: """
        reply(400, '{"error":"invalid header PRIVATE-TOKEN or JOB-TOKEN %s"}' % token)
        """)
    let directory = try files([])
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try CLIRunner.run(
      ["doctor"], environment: server.environment(token: Self.token, directory: directory))
    #expect(result.status == 1, "\(result.allOutput)")
    #expect(result.stdout.contains("[REDACTED]"))
    #expect(!result.allOutput.contains(Self.token), "\(result.allOutput)")
  }

  @Test func theLinksCommandsNeverShowAnEchoedToken() throws {
    let server = try HostileServer(
      handler: """
        if method == "GET" and path.endswith("/assets/links"):
            reply(502, '<html>502: upstream rejected JOB-TOKEN %s</html>' % token, [("Content-Type", "text/html")])
        elif method == "GET":
            reply(200, 'not json, token=%s' % token, [("Content-Type", "text/plain")])
        elif method == "POST":
            reply(400, '{"message":{"base":["token %s is not allowed"]}}' % token)
        else:
            reply(404, '{"message":"404 link of %s Not found"}' % token)
        """)
    let directory = try files([])
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = server.environment(token: Self.token, directory: directory)
    for arguments in [
      ["links", "list", "--retries", "0"], ["links", "get", "1"],
      ["links", "create", "--name", "a", "--url", "https://example.com/a"],
      ["links", "delete", "1"], ["links", "list", "--retries", "0", "-o", "json"],
    ] {
      let result = try CLIRunner.run(arguments, environment: environment)
      #expect(result.status != 0, "\(arguments)")
      #expect(result.stderr.contains("[REDACTED]"), "\(arguments): \(result.allOutput)")
      #expect(!result.allOutput.contains(Self.token), "\(arguments): \(result.allOutput)")
    }
  }
}
