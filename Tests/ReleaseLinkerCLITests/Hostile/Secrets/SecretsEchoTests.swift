import Foundation
import Testing

/// Every command against a server that echoes the request's headers, and the token in them
/// (as it is, percent-encoded, base64), back in JSON and HTML error pages, in headers and in
/// redirects, and against a connection that is reset or times out: no form of the token reaches
/// stdout, stderr, the `--verbose` trace, a report, the dotenv or checksums file, a manifest or
/// TMPDIR, whichever way the token was passed.
@Suite(.serialized) struct SecretsEchoTests {
  /// The server's API root is `/m/<mode>/api/v4`; `<mode>` picks how it answers. A mode `w-…`
  /// answers the release, its links and the package listing honestly and only the writes so.
  static let echoingServer = """
    import base64, html as htmllib, socket, struct
    parts = path.split("/", 3)
    mode = parts[2] if len(parts) > 2 else ""
    api = "/" + (parts[3] if len(parts) > 3 else "")
    secret = token or self.headers.get("Authorization", "")
    lines = ["%s: %s" % (k, v) for k, v in self.headers.items()]
    quoted = urllib.parse.quote(secret, safe="")
    forms = [secret, quoted, quoted.lower(), base64.b64encode(secret.encode()).decode(),
             base64.urlsafe_b64encode(secret.encode()).decode().rstrip("=")]
    forms += [base64.b64encode(l.encode()).decode() for l in lines
              if l.split(":")[0].lower() in ("job-token", "private-token", "authorization")]
    echo = "you sent " + " ; ".join(lines) + " | " + " ".join(forms)
    echoed = [("X-Echo", " ".join(forms)), ("X-Request-Headers", " ; ".join(lines)), ("Retry-After", "0")]
    honest = mode.startswith("w-")
    kind = mode[2:] if honest else mode
    if honest and method in ("GET", "HEAD") and api.endswith("/releases/v1.0"):
        reply(200, '{"tag_name":"v1.0","name":"v1.0","description":""}')
    elif honest and method == "GET" and api.endswith("/assets/links"):
        reply(200, "[]", [("X-Next-Page", "")])
    elif honest and method == "GET" and api.endswith("/packages"):
        reply(200, "[]", [("X-Next-Page", "")])
    elif kind.startswith("json"):
        reply(int(kind[4:]), json.dumps({"message": echo, "error": echo}), echoed)
    elif kind.startswith("html"):
        page = "<html><body><h1>%s</h1><pre>%s</pre></body></html>" % (kind[4:], htmllib.escape(echo))
        reply(int(kind[4:]), page, [("Content-Type", "text/html")] + echoed)
    elif kind == "text200":
        reply(200, echo, [("Content-Type", "text/plain")] + echoed)
    elif kind == "badjson":
        reply(200, '{"message": ' + json.dumps(echo)[:-5], echoed)
    elif kind == "redirectfile":
        reply(302, "", [("Location", "file:///tmp/%s?b=%s" % (secret, forms[3]))] + echoed)
    elif kind == "redirectloop":
        n = STATE["n"] = STATE.get("n", 0) + 1
        reply(302, "", [("Location", "/m/%s%s?echo=%s&b=%s&n=%d" % (mode, api, quoted, forms[3], n))] + echoed)
    elif kind == "reset":
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True
    elif kind == "timeout":
        time.sleep(1.5)
        reply(504, json.dumps({"message": echo}), echoed)
    else:
        reply(500, json.dumps({"message": "no such mode " + mode}))
    """

  /// 400 to 502, each as GitLab's JSON and as an HTML page; a 200 that is not JSON and one whose
  /// JSON is cut; a redirect to `file://` and an endless one; a reset; a timeout.
  static let failureModes: [String] =
    [400, 401, 403, 404, 429, 500, 502].flatMap { ["json\($0)", "html\($0)"] }
    + ["text200", "badjson", "redirectfile", "redirectloop", "reset", "timeout"]

  /// Every command that talks to GitLab, each failing on its first request.
  static let commands: [[String]] = [
    [
      "publish", "bin", "--report", "out/report.json", "--dotenv", "out/release.env",
      "--checksums", "out/SHA256SUMS",
    ],
    ["publish", "bin", "-o", "json", "--report", "out/report.json"],
    ["plan", "bin", "--report", "out/plan.json"],
    ["publish", "bin", "--upload", "generic", "--report", "out/upload.json"],
    ["links", "list"], ["links", "list", "-o", "json"], ["links", "get", "1"],
    ["links", "create", "--name", "a", "--url", "https://example.com/a"],
    ["links", "update", "1", "--name", "b", "--url", "https://example.com/b"],
    ["links", "delete", "1"], ["doctor"], ["verify"], ["verify", "-o", "json"],
    ["scan", "--artifacts-job", "5", "--manifest", "out/manifest.json"],
  ]

  /// The writes, behind an honest release and listing: a link, a release created with its links, an
  /// upload, each refused with the token echoed.
  static let writeCommands: [[String]] = [
    ["publish", "bin", "--report", "out/report.json", "--dotenv", "out/release.env"],
    ["publish", "bin", "--upload", "generic", "--report", "out/upload.json", "-o", "json"],
  ]

  static let common = ["--verbose", "--retries", "0", "--timeout", "0.5"]

  private func environment(_ server: HostileServer, mode: String) -> [String: String] {
    [
      "CI_API_V4_URL": "http://127.0.0.1:\(server.port)/m/\(mode)/api/v4",
      "CI_PROJECT_ID": "20", "CI_COMMIT_TAG": "v1.0",
      "CI_PROJECT_URL": "https://gitlab.example.com/group/app",
    ]
  }

  /// Runs each command in each mode; returns every leak, and the outputs that showed an echo
  /// (redacted), to prove the echoes were read.
  private func sweep(_ way: TokenWay, modes: [String], commands: [[String]]) throws -> (
    leaks: [String], redactedRuns: Int, runs: Int
  ) {
    let server = try HostileServer(handler: Self.echoingServer)
    let sandbox = try SecretSandbox()
    var leaks: [String] = []
    var redacted = 0
    var runs = 0
    for mode in modes {
      for command in commands {
        try sandbox.clearOutputs()
        let (result, found) = try sandbox.run(
          command + Self.common, way: way, environment: environment(server, mode: mode))
        runs += 1
        #expect(
          result.status != 0 || mode.hasPrefix("w-"), "\(mode) \(command): \(result.allOutput)")
        leaks += found.map { "\(way) \(mode) \(command.prefix(3).joined(separator: " ")): \($0)" }
        if result.allOutput.contains("[REDACTED]") { redacted += 1 }
      }
    }
    return (leaks, redacted, runs)
  }

  @Test func everyCommandAndFailureWithTheJobTokenVariable() throws {
    let sweep = try sweep(.jobTokenVariable, modes: Self.failureModes, commands: Self.commands)
    #expect(sweep.leaks.isEmpty, "\(sweep.leaks.joined(separator: "\n"))")
    #expect(sweep.redactedRuns > sweep.runs / 2, "\(sweep.redactedRuns) of \(sweep.runs)")
  }

  @Test(arguments: [TokenWay.accessTokenVariable, .tokenFile])
  func everyFailureWithTheOtherWaysOfPassingTheToken(_ way: TokenWay) throws {
    let commands = [Self.commands[0], Self.commands[4], Self.commands[10], Self.commands[11]]
    let sweep = try sweep(way, modes: Self.failureModes, commands: commands)
    #expect(sweep.leaks.isEmpty, "\(sweep.leaks.joined(separator: "\n"))")
    #expect(sweep.redactedRuns > sweep.runs / 2, "\(sweep.redactedRuns) of \(sweep.runs)")
  }

  @Test(arguments: TokenWay.allCases)
  func refusedWritesEchoingTheToken(_ way: TokenWay) throws {
    let modes = ["json400", "html403", "json429", "html500", "text200", "badjson", "reset"]
    let sweep = try sweep(way, modes: modes.map { "w-\($0)" }, commands: Self.writeCommands)
    #expect(sweep.leaks.isEmpty, "\(sweep.leaks.joined(separator: "\n"))")
    #expect(sweep.redactedRuns > 0)
  }
}

/// An artifacts archive from a server that names its entries after the token it was sent (as it
/// is and in base64): the links would show the token on the release page, so nothing is listed
/// or linked (65), and nothing shows the token.
@Suite(.serialized) struct SecretsInArchiveEntryTests {
  static let server = """
    import base64, io, zipfile
    if path.endswith("/artifacts"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("dist/ok", "fine")
            archive.writestr("dist/tool-" + token, "x")
            archive.writestr("dist/b64-" + base64.urlsafe_b64encode(token.encode()).decode(), "x")
        reply(200, buffer.getvalue(), [("Content-Type", "application/zip")])
    elif path.endswith("/releases/v1.0"):
        reply(200, '{"tag_name":"v1.0","name":"v1.0","description":""}')
    elif path.endswith("/assets/links"):
        reply(200, "[]", [("X-Next-Page", "")])
    else:
        reply(404, '{"message":"404 Not Found"}')
    """

  @Test(arguments: TokenWay.allCases)
  func entriesNamedAfterTheTokenAreRefused(_ way: TokenWay) throws {
    let server = try HostileServer(handler: Self.server)
    let sandbox = try SecretSandbox()
    for command in [
      ["scan", "--artifacts-job", "5", "-o", "json"],
      ["scan", "--artifacts-job", "5", "--manifest", "out/manifest.json"],
      ["publish", "--artifacts-job", "5", "--report", "out/report.json", "--dotenv", "out/r.env"],
      ["publish", "--artifacts-job", "5", "-o", "json", "--verbose"],
    ] {
      try sandbox.clearOutputs()
      let (result, leaks) = try sandbox.run(
        command, way: way,
        environment: server.environment(token: SecretTokens.job, directory: sandbox.work))
      #expect(result.status == 65, "\(command): \(result.allOutput)")
      #expect(result.stderr.contains("the token in its name"), "\(command): \(result.allOutput)")
      #expect(leaks.isEmpty, "\(command): \(leaks)")
    }
    #expect(!server.hits.contains { $0.method == "POST" })
  }
}
