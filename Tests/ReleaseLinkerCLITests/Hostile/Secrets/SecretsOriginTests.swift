import Foundation
import GitLabEmulator
import Testing

/// The token goes to the API's origin only (scheme, host and port: `URLOrigin`). A second
/// loopback server on another port, another origin, records every request it gets and must see no
/// token header, and no form of a token anywhere in a request, however it was reached.
@Suite(.serialized) struct SecretsOriginTests {
  /// Serves `/object.zip` (the file named in `STATE`) trickling, so that a test can look at the
  /// running download; answers the release API's reads and writes like GitLab; 200 to the rest.
  static func foreignHandler(zip: String = "") -> String {
    """
    if path == "/object.zip":
        data = open("\(zip)", "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        step = max(1, len(data) // 20)
        for start in range(0, len(data), step):
            self.wfile.write(data[start:start + step])
            self.wfile.flush()
            time.sleep(0.1)
    elif method == "GET" and path.endswith("/releases/v1.0"):
        reply(200, '{"tag_name":"v1.0","name":"v1.0","description":""}')
    elif method == "GET" and path.endswith("/assets/links"):
        reply(200, "[]", [("X-Next-Page", "")])
    elif method == "POST" and path.endswith("/assets/links"):
        reply(201, '{"id":1,"name":"app","url":"https://gitlab.example.com/group/app/-/jobs/688/artifacts/raw/bin/app","direct_asset_path":"/bin/app","link_type":"other"}')
    elif method == "PUT":
        reply(201, '{"id":1,"file_name":"app","size":11}')
    elif method == "HEAD":
        reply(200, "", [("Content-Type", "application/octet-stream")])
    else:
        reply(200, "x", [("Content-Type", "application/octet-stream")])
    """
  }

  /// What the foreign server must never have seen.
  static func tokenTraces(in hits: [HostileServer.Hit]) -> [String] {
    var found: [String] = []
    for hit in hits {
      for name in hit.headers.keys
      where ["job-token", "private-token", "authorization"].contains(name.lowercased()) {
        found.append("\(hit.method) \(hit.path) carried the header \(name)")
      }
      let text =
        hit.path + "?" + hit.query + " " + hit.headers.map { "\($0): \($1)" }.joined() + hit.body
      found += SecretTokens.leaks(in: text, at: "\(hit.method) \(hit.path)")
    }
    return found
  }

  /// The release API redirects its reads and a write to the other origin, and its listing's
  /// `Link: rel="next"` points there (that page is asked of the API itself, by its number).
  @Test(arguments: TokenWay.allCases)
  func redirectsAndNextPagesOfTheAPIGetNoToken(_ way: TokenWay) throws {
    let foreign = try HostileServer(handler: Self.foreignHandler())
    let api = try HostileServer(
      handler: """
        other = "http://127.0.0.1:\(foreign.port)"
        if method == "GET" and path.endswith("/releases/v1.0"):
            reply(302, "", [("Location", other + path)])
        elif method == "GET" and path.endswith("/assets/links") and query.get("page") != "2":
            old = '[{"id":9,"name":"old","url":"https://example.com/old","direct_asset_path":"/old","link_type":"other"}]'
            reply(200, old, [("Link", '<%s%s?page=2&per_page=100>; rel="next"' % (other, path))])
        elif method == "GET" and path.endswith("/assets/links"):
            reply(200, "[]", [("X-Next-Page", "")])
        elif method == "POST":
            reply(307, "", [("Location", other + path)])
        else:
            reply(404, '{"message":"404 Not Found"}')
        """)
    let sandbox = try SecretSandbox()
    let (result, leaks) = try sandbox.run(
      ["publish", "bin", "--retries", "0", "--verbose", "--report", "out/report.json"], way: way,
      environment: api.environment(token: SecretTokens.job, directory: sandbox.work))
    #expect(leaks.isEmpty, "\(leaks)")
    let hits = foreign.hits
    #expect(hits.contains { $0.method == "GET" && $0.path.hasSuffix("/releases/v1.0") })
    #expect(!hits.contains { $0.path.hasSuffix("/assets/links") && $0.method == "GET" })
    #expect(api.hits.contains { $0.method == "GET" && $0.query.contains("page=2") })
    #expect(hits.contains { $0.method == "POST" }, "\(result.allOutput)")
    #expect(Self.tokenTraces(in: hits).isEmpty, "\(Self.tokenTraces(in: hits))")
    let sentToAPI = api.hits.filter {
      $0.headers[way == .accessTokenVariable ? "PRIVATE-TOKEN" : "JOB-TOKEN"] == way.token
    }
    #expect(sentToAPI.count == api.hits.count, "the API itself gets the token")
  }

  /// A redirect whose target holds the token (in its query, percent-encoded) must not carry it to
  /// the other origin either.
  @Test func aRedirectCarryingTheTokenInItsURLIsNotFollowedToAnotherOrigin() throws {
    let foreign = try HostileServer(handler: Self.foreignHandler())
    let api = try HostileServer(
      handler: """
        if method == "GET" and path.endswith("/releases/v1.0"):
            target = "http://127.0.0.1:\(foreign.port)%s?job_token=%s&t=%s" % (path, token, urllib.parse.quote(token, safe=""))
            reply(302, "", [("Location", target)])
        else:
            reply(404, '{"message":"404 Not Found"}')
        """)
    let sandbox = try SecretSandbox()
    for way in TokenWay.allCases {
      let (result, leaks) = try sandbox.run(
        ["publish", "bin", "--retries", "0", "--verbose"], way: way,
        environment: api.environment(token: SecretTokens.job, directory: sandbox.work))
      #expect(result.status != 0)
      #expect(leaks.isEmpty, "\(leaks)")
    }
    #expect(Self.tokenTraces(in: foreign.hits).isEmpty, "\(Self.tokenTraces(in: foreign.hits))")
  }

  /// The emulator with the three tokens, the project's web URLs on the emulator itself.
  private func world(_ emulator: GitLabEmulator) {
    emulator.addProject(id: 20, path: "mynamespace/hello")
    emulator.addRelease(projectID: 20, tag: "v1.7.0")
    emulator.addJobToken(SecretTokens.job, projectID: 20, jobID: 688)
    emulator.addJobToken(SecretTokens.file, projectID: 20, jobID: 688)
    emulator.addPrivateToken(SecretTokens.access, roles: [20: .maintainer])
  }

  private func environment(_ emulator: GitLabEmulator) -> [String: String] {
    [
      "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
      "CI_PROJECT_URL": "\(emulator.baseURL)/mynamespace/hello", "CI_COMMIT_TAG": "v1.7.0",
    ]
  }

  /// Links made with `--url-template` on the other origin, then `--verify`: the release page's
  /// download URL (GitLab's own) redirects there; and `verify` of a link someone put there by hand.
  @Test(arguments: TokenWay.allCases)
  func linksOnAnotherOriginAreVerifiedWithoutTheToken(_ way: TokenWay) throws {
    let foreign = try HostileServer(handler: Self.foreignHandler())
    try withEmulator { emulator in
      world(emulator)
      emulator.addLink(
        projectID: 20, tag: "v1.7.0", name: "by hand",
        url: "http://127.0.0.1:\(foreign.port)/by-hand/file")
      let sandbox = try SecretSandbox()
      let (published, leaks) = try sandbox.run(
        [
          "publish", "bin", "--url-template", "http://127.0.0.1:\(foreign.port)/files/{path}",
          "--verify", "--verbose", "--report", "out/report.json",
        ], way: way, environment: environment(emulator))
      #expect(published.status == 0, "\(published.allOutput)")
      #expect(leaks.isEmpty, "\(leaks)")
      let (verified, verifyLeaks) = try sandbox.run(
        ["verify", "--verbose", "-o", "json"], way: way, environment: environment(emulator))
      #expect(verified.status == 0, "\(verified.allOutput)")
      #expect(verifyLeaks.isEmpty, "\(verifyLeaks)")
    }
    let hits = foreign.hits
    #expect(hits.contains { $0.path == "/files/bin/app" })
    #expect(hits.contains { $0.path == "/by-hand/file" })
    #expect(Self.tokenTraces(in: hits).isEmpty, "\(Self.tokenTraces(in: hits))")
  }

  /// An upload the registry answers with `307` to the other origin: the body may follow, the
  /// token does not.
  @Test(arguments: TokenWay.allCases)
  func anUploadRedirectedToAnotherOriginGetsNoToken(_ way: TokenWay) throws {
    let foreign = try HostileServer(handler: Self.foreignHandler())
    try withEmulator { emulator in
      world(emulator)
      emulator.script(
        method: "PUT", pathSuffix: "/app",
        [
          .status(
            307, body: "", headers: [("Location", "http://127.0.0.1:\(foreign.port)/upload/app")])
        ])
      let sandbox = try SecretSandbox()
      let (result, leaks) = try sandbox.run(
        ["publish", "bin", "--upload", "generic", "--verbose", "--report", "out/report.json"],
        way: way, environment: environment(emulator))
      #expect(leaks.isEmpty, "\(leaks) \(result.allOutput)")
    }
    let hits = foreign.hits
    #expect(hits.contains { $0.method == "PUT" && $0.path == "/upload/app" })
    #expect(Self.tokenTraces(in: hits).isEmpty, "\(Self.tokenTraces(in: hits))")
  }

  /// GitLab answers an artifacts download with a redirect to object storage: here another
  /// origin, which trickles the archive. While it downloads, TMPDIR (and what the process holds
  /// open there) and the process's argument list hold no token; afterwards neither do its
  /// outputs, and the storage got no token.
  @Test(arguments: TokenWay.allCases)
  func anArtifactsDownloadRedirectedToObjectStorageGetsNoToken(_ way: TokenWay) throws {
    let sandbox = try SecretSandbox()
    let zip = sandbox.root.appendingPathComponent("artifacts.zip")
    let archive = sandbox.root.appendingPathComponent("archive")
    try FileManager.default.createDirectory(
      at: archive.appendingPathComponent("dist"), withIntermediateDirectories: true)
    try Data(repeating: 0x61, count: 4000).write(to: archive.appendingPathComponent("dist/tool"))
    _ = try Shell.run(["zip", "-qr", zip.path, "."], in: archive)
    let foreign = try HostileServer(handler: Self.foreignHandler(zip: zip.path))
    try withEmulator { emulator in
      world(emulator)
      emulator.setArtifactsRedirect(
        projectID: 20, jobID: 688, location: "http://127.0.0.1:\(foreign.port)/object.zip")
      for command in [
        ["scan", "--artifacts-job", "688", "--manifest", "out/manifest.json", "--verbose"],
        ["publish", "--artifacts-job", "688", "--verbose", "--report", "out/report.json"],
      ] {
        try sandbox.clearOutputs()
        let running = try sandbox.start(command, way: way, environment: environment(emulator))
        var looked = 0
        var during: [String] = []
        while running.process.isRunning {
          during += Self.leaksWhileRunning(running.process.processIdentifier, sandbox: sandbox)
          looked += 1
          usleep(50_000)
        }
        let result = try running.wait()
        #expect(result.status == 0, "\(command): \(result.allOutput)")
        #expect(looked > 3, "the download was looked at while it ran")
        #expect(during.isEmpty, "\(during)")
        let after = sandbox.leaks(in: result)
        #expect(after.isEmpty, "\(after)")
      }
    }
    let hits = foreign.hits
    #expect(hits.filter { $0.path == "/object.zip" }.count == 2)
    #expect(Self.tokenTraces(in: hits).isEmpty, "\(Self.tokenTraces(in: hits))")
  }

  /// The running process's argument list, every file in TMPDIR, and every file it holds open
  /// there (the download is unlinked at once, so only its descriptor reaches it).
  static func leaksWhileRunning(_ pid: Int32, sandbox: SecretSandbox) -> [String] {
    var found: [String] = []
    if let arguments = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") {
      found += SecretTokens.leaks(
        in: String(decoding: arguments, as: UTF8.self), at: "the argument list")
    }
    found += sandbox.leaksInFiles()
    let descriptors = "/proc/\(pid)/fd"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? [] {
      let link = "\(descriptors)/\(name)"
      guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link),
        target.hasPrefix(sandbox.tmp.path), let data = FileManager.default.contents(atPath: link)
      else { continue }
      found += SecretTokens.leaks(in: String(decoding: data, as: UTF8.self), at: "open \(target)")
    }
    return found
  }
}
