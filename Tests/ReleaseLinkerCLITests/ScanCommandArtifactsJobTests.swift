import Foundation
import GitLabEmulator
import Testing

@Suite(.serialized) struct ScanArtifactsJobTests {
  private func seed(_ emulator: GitLabEmulator, archive: String) {
    emulator.addProject(id: 20, path: "mynamespace/hello")
    emulator.addJobToken("job-token-secret", projectID: 20, jobID: 700)
    emulator.setArtifacts(projectID: 20, jobID: 688, fileAt: archive)
  }

  @Test func downloadsTheJobsArchiveScansItAndRemovesTheCopy() throws {
    let fixture = try ScanFixture()
    try fixture.write("src/bin/app.deb", "deb")
    try fixture.write("src/docs/read me.md", "docs")
    try fixture.tool(["zip", "-qr", "../artifacts.zip", "."], in: "src")
    try FileManager.default.createDirectory(
      at: fixture.url("tmp"), withIntermediateDirectories: true)
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("artifacts.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job", "688", "-o", "json"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20", "CI_JOB_ID": "700",
          "CI_JOB_TOKEN": "job-token-secret", "TMPDIR": fixture.url("tmp").path,
        ])
      #expect(result.status == 0, "\(result.stderr)")
      let scanned = try ScannedLinks(result)
      #expect(Set(scanned.artifactPaths) == ["bin/app.deb", "docs/read me.md"])
      // The links point at the job whose artifacts they are, not at the running job.
      #expect(
        try scanned.link("bin/app.deb")["url"] as? String
          == "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/bin/app.deb")
      #expect(
        try scanned.link("bin/app.deb")["sha256"] as? String
          == (try fixture.sha256sum("src/bin/app.deb")))
      #expect(!result.allOutput.contains("job-token-secret"))
      #expect(emulator.requestLog.contains { $0.rawPath.hasSuffix("/jobs/688/artifacts") })
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.url("tmp").path)
      #expect(leftovers.isEmpty, "temporary copy left behind: \(leftovers)")
    }
  }

  @Test func entriesLinkToTheirJobAndLocalPathsToTheJobID() throws {
    let fixture = try ScanFixture()
    try fixture.write("src/a.bin", "a")
    try fixture.write("local/b.bin", "b")
    try fixture.tool(["bsdtar", "-czf", "../a.tgz", "."], in: "src")
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("a.tgz").path)
      for (flags, localJob) in [(["--job-id", "12"], "12"), ([], "700")] {
        let result = try fixture.run(
          ["scan", "local", "--artifacts-job", "688", "-o", "json"] + flags,
          environment: [
            "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20", "CI_JOB_ID": "700",
            "CI_JOB_TOKEN": "job-token-secret",
          ])
        #expect(result.status == 0, "\(result.stderr)")
        let scanned = try ScannedLinks(result)
        // The downloaded entry is a file of job 688's artifacts, whatever --job-id says.
        #expect(
          try scanned.link("a.bin")["url"] as? String
            == "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/a.bin")
        // A local file is one of the job --job-id (else CI_JOB_ID) names.
        #expect(
          try scanned.link("local/b.bin")["url"] as? String
            == "https://gitlab.example.com/mynamespace/hello/-/jobs/\(localJob)/artifacts/raw/local/b.bin",
          "\(flags)")
      }
    }
  }

  @Test func eachOfSeveralArtifactsJobsLinksItsEntriesToItself() throws {
    let fixture = try ScanFixture()
    try fixture.write("one/linux/app", "linux")
    try fixture.write("two/windows/app.exe", "windows")
    try fixture.write("docs/notes.txt", "notes")
    try fixture.tool(["zip", "-qr", "../one.zip", "."], in: "one")
    try fixture.tool(["zip", "-qr", "../two.zip", "."], in: "two")
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("one.zip").path)
      emulator.setArtifacts(projectID: 20, jobID: 689, fileAt: fixture.url("two.zip").path)
      let result = try fixture.run(
        [
          "scan", "docs", "--artifacts-job", "688", "--artifacts-job", "689", "--job-id", "12",
          "-o", "json",
        ],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20", "CI_JOB_ID": "700",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status == 0, "\(result.stderr)")
      let scanned = try ScannedLinks(result)
      let base = "https://gitlab.example.com/mynamespace/hello/-/jobs"
      #expect(
        try scanned.link("linux/app")["url"] as? String == "\(base)/688/artifacts/raw/linux/app")
      #expect(
        try scanned.link("windows/app.exe")["url"] as? String
          == "\(base)/689/artifacts/raw/windows/app.exe")
      #expect(
        try scanned.link("docs/notes.txt")["url"] as? String
          == "\(base)/12/artifacts/raw/docs/notes.txt")
      #expect(emulator.requestLog.filter { $0.rawPath.hasSuffix("/artifacts") }.count == 2)
    }
  }

  @Test(arguments: [[""], ["abc"], ["--job-id"]])
  func anEmptyOrNonNumericArtifactsJobIsAUsageError(value: [String]) throws {
    let fixture = try ScanFixture()
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("none.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job"] + value,
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status == 64, "\(result.stderr)")
      #expect(result.stderr.contains("--artifacts-job"))
      #expect(emulator.stats.requests == 0)
    }
  }

  @Test func aJobWithoutArtifactsIsNamedAndCreatingAReleaseIsNotSuggested() throws {
    let fixture = try ScanFixture()
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("none.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job", "999"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status == 1, "\(result.stderr)")
      #expect(result.stderr.contains("Job 999 has no artifacts archive"))
      #expect(!result.stderr.contains("--create-release"))
    }
  }

  @Test func corruptDownloadedArchiveIsADataErrorNamingTheJob() throws {
    let fixture = try ScanFixture()
    try fixture.write("broken.zip", "this is not a zip file at all, just text")
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("broken.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job", "688"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status == 65, "\(result.stderr)")
      #expect(result.stderr.contains("job 688"))
    }
  }

  @Test func missingJobIsNotADataError() throws {
    let fixture = try ScanFixture()
    try fixture.write("a.zip", "x")
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("a.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job", "999"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status != 0 && result.status != 65, "\(result.status) \(result.stderr)")
      #expect(result.stderr.contains("404"))
      #expect(!result.allOutput.contains("job-token-secret"))
    }
  }

  // MARK: Downloads that will not end

  /// A server whose artifacts route sends `body` (Python, in the handler's scope).
  private func artifactsServer(_ body: String) throws -> HostileServer {
    try HostileServer(
      handler: """
        if path == "/api/v4/projects/20/jobs/5/artifacts":
        \(body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        else:
            reply(404, '{"message":"404 Not found"}')
        """)
  }

  private static let trickle = """
    self.send_response(200)
    self.send_header("Content-Type", "application/zip")
    self.send_header("Content-Length", str(10 * 1024 * 1024))
    self.end_headers()
    for _ in range(80):
        self.wfile.write(b"x" * 240)
        self.wfile.flush()
        time.sleep(0.5)
    self.close_connection = True
    """

  private func environment(_ server: HostileServer, _ fixture: ScanFixture) throws
    -> [String: String]
  {
    try FileManager.default.createDirectory(
      at: fixture.url("tmp"), withIntermediateDirectories: true)
    return server.environment(
      token: "job-token-secret", directory: fixture.root,
      extra: ["TMPDIR": fixture.url("tmp").path])
  }

  private func leftovers(_ fixture: ScanFixture) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: fixture.url("tmp").path)
  }

  @Test func aDownloadPastMaxDownloadSizeIsStoppedWith65() throws {
    let fixture = try ScanFixture()
    try fixture.write("big.bin", Data(repeating: 7, count: 3 << 20))
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("big.bin").path)
      try FileManager.default.createDirectory(
        at: fixture.url("tmp"), withIntermediateDirectories: true)
      let result = try fixture.run(
        ["scan", "--artifacts-job", "688", "--max-download-size", "1M"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
          "CI_JOB_TOKEN": "job-token-secret", "TMPDIR": fixture.url("tmp").path,
        ])
      #expect(result.status == 65, "\(result.stderr)")
      #expect(result.stderr.contains("--max-download-size (1048576 bytes)"), "\(result.stderr)")
      #expect(try leftovers(fixture).isEmpty)
    }
  }

  @Test func anEndlessDownloadIsStoppedAtMaxDownloadSize() throws {
    // No Content-Length, chunks for ever: it used to fill TMPDIR.
    let server = try artifactsServer(
      """
      self.send_response(200)
      self.send_header("Transfer-Encoding", "chunked")
      self.end_headers()
      chunk = b"x" * 65536
      while True:
          self.wfile.write(b"%x\\r\\n" % len(chunk) + chunk + b"\\r\\n")
      """)
    let fixture = try ScanFixture()
    let result = try fixture.run(
      ["scan", "--artifacts-job", "5", "--max-download-size", "4M"],
      environment: try environment(server, fixture))
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.contains("grew past that"), "\(result.stderr)")
    #expect(try leftovers(fixture).isEmpty)
  }

  @Test func aTricklingDownloadEndsAtTheTimeout() throws {
    // 480 bytes a second never trips a "below 1 byte/s" stall check; --timeout bounds the whole
    // download.
    let server = try artifactsServer(Self.trickle)
    let fixture = try ScanFixture()
    let result = try CLIRunner.run(
      ["scan", "--artifacts-job", "5", "--timeout", "3", "--retries", "0"],
      environment: try environment(server, fixture), in: fixture.root, timeout: 60)
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("timed out after 3 seconds"), "\(result.stderr)")
    #expect(try leftovers(fixture).isEmpty)
  }

  @Test func aDownloadEndedBySIGTERMLeavesNoPartialFile() throws {
    let server = try artifactsServer(Self.trickle)
    let fixture = try ScanFixture()
    let run = try CLIRunner.start(
      ["scan", "--artifacts-job", "5"], environment: try environment(server, fixture),
      in: fixture.root, receivingSIGTERM: true)
    let deadline = Date().addingTimeInterval(60)
    while !server.hits.contains(where: { $0.path.hasSuffix("/artifacts") }) && Date() < deadline {
      usleep(20_000)
    }
    usleep(500_000)
    // The file is unlinked before the first byte arrives: nothing for any exit to leave behind.
    #expect(try leftovers(fixture).isEmpty, "a partial download is visible in TMPDIR")
    run.signal(SIGTERM)
    let result = try run.wait(timeout: 30)
    #expect(result.status == SIGTERM, "ended by the signal")
    #expect(try leftovers(fixture).isEmpty)
  }
}
