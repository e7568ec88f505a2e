import Foundation
import Testing

/// `gitlab-emulator` as a process: seeded from flags, first line, signals, refused arguments.
@Suite struct CommandLineTests {
  @Test func theExecutableServesWhatItsFlagsSeedAndStopsOnSIGTERM() throws {
    let archive = FileManager.default.temporaryDirectory
      .appendingPathComponent("cli-artifacts-\(UUID().uuidString).zip")
    try Data("PK archive bytes".utf8).write(to: archive)
    defer { try? FileManager.default.removeItem(at: archive) }

    let emulator = try EmulatorProcess([
      "--host", "127.0.0.1", "--port", "0", "--server-url", "https://gitlab.example.com",
      "--project", "24:group/app:25", "--project", "25:other/lib", "--release", "24:v1.0",
      "--release", "24:v2.0", "--protected-tag", "24:v2.0",
      "--private-token", "dev:24:developer", "--private-token", "ro:24:developer:read_api",
      "--job-token", "job25:25:7", "--artifacts", "24:7:\(archive.path)", "--latency-ms", "1",
    ])
    #expect(emulator.firstLine.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:\d+/) != nil)
    let base = emulator.baseURL
    let links = "/api/v4/projects/group%2Fapp/releases/v1.0/assets/links"

    let created = try HTTP.request(
      base, "POST", links, headers: [("PRIVATE-TOKEN", "dev"), HTTP.formHeader],
      body: HTTP.form([("name", "app"), ("url", "https://x/app"), ("filepath", "/bin/app")]))
    #expect(created.status == 201)
    #expect(
      created.text
        == #"{"id":1,"name":"app","url":"https://x/app","direct_asset_url":"https://gitlab.example.com/group/app/-/releases/v1.0/downloads/bin/app","link_type":"other"}"#
    )
    // read_api scope, and the allowlisted job token of project 25.
    #expect(try HTTP.request(base, "GET", links, headers: [("PRIVATE-TOKEN", "ro")]).status == 200)
    let denied = try HTTP.request(
      base, "DELETE", "\(links)/1", headers: [("PRIVATE-TOKEN", "ro")])
    #expect(denied.status == 403)
    #expect(try HTTP.request(base, "GET", links, headers: [("JOB-TOKEN", "job25")]).ids == [1])
    let protected = try HTTP.request(
      base, "POST", "/api/v4/projects/24/releases/v2.0/assets/links",
      headers: [("PRIVATE-TOKEN", "dev"), HTTP.formHeader],
      body: HTTP.form([("name", "app"), ("url", "https://x/app")]))
    #expect(protected.status == 403)
    let artifacts = try HTTP.request(
      base, "GET", "/api/v4/projects/24/jobs/7/artifacts", headers: [("JOB-TOKEN", "job25")])
    #expect(artifacts.text == "PK archive bytes")
    #expect(try HTTP.request(base, "GET", links).status == 404)

    // Connections are counted when accepted, so the one asking for the stats is among them.
    let stats = try HTTP.request(base, "GET", "/-/emulator/stats")
    #expect(
      stats.text
        == #"{"requests":7,"writes":3,"connections":8,"uploads":0,"uploaded_bytes":0,"package_files":0}"#
    )
    let held = try HTTP.request(base, "GET", "/-/emulator/links/24/v1.0")
    #expect((held.json as? [[String: Any]])?.first?["direct_asset_path"] as? String == "/bin/app")

    #expect(emulator.stop(signal: SIGTERM) == 0)
  }

  @Test func aZipGivenWithArtifactsServesItsFilesAndJobsResolveRefs() throws {
    let zip = try ZipFixture([("bin/app", Array("binary".utf8))])
    let emulator = try EmulatorProcess([
      "--project", "24:group/app", "--private-token", "dev:24:developer",
      "--artifacts", "24:7:\(zip.archive.path)", "--job", "24:7:main:build:linux",
    ])
    let base = emulator.baseURL
    let dev = [("PRIVATE-TOKEN", "dev")]
    let raw = try HTTP.request(
      base, "GET", "/group/app/-/jobs/7/artifacts/raw/bin/app", headers: dev)
    #expect(raw.text == "binary")
    let byRef = try HTTP.request(
      base, "GET", "/group/app/-/jobs/artifacts/main/raw/bin/app?job=build:linux", headers: dev)
    #expect(byRef.header("Location") == "\(base)/group/app/-/jobs/7/artifacts/raw/bin/app")
    #expect(emulator.stop() == 0)
  }

  @Test func thePackageRegistryFlagsTakeEffect() throws {
    let storage = FileManager.default.temporaryDirectory
      .appendingPathComponent("cli-storage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: storage) }
    let emulator = try EmulatorProcess([
      "--project", "24:group/app", "--project", "25:other/lib",
      "--job-token", "ci:24:7:maintainer", "--package-max-file-size", "8",
      "--reject-duplicate-packages", "24", "--fail-concurrent-package-creation",
      "--storage-dir", storage.path,
    ])
    let base = emulator.baseURL
    let job = [("JOB-TOKEN", "ci")]
    let generic = "/api/v4/projects/24/packages/generic/app/1.0"
    let big = try HTTP.request(
      base, "PUT", "\(generic)/big.bin", headers: job, body: Array(repeating: 1, count: 9))
    #expect(big.text == #"{"message":"400 Bad request - File is too large"}"#)
    #expect(
      try HTTP.request(base, "PUT", "\(generic)/f.bin", headers: job, body: [1]).status == 201)
    let duplicate = try HTTP.request(base, "PUT", "\(generic)/f.bin", headers: job, body: [2])
    #expect(duplicate.text == #"{"message":"400 Bad request - Duplicate package is not allowed"}"#)
    // The file went to the folder given; the job's user is a maintainer, so it may delete.
    #expect(try FileManager.default.contentsOfDirectory(atPath: storage.path).count == 1)
    let deleted = try HTTP.request(
      base, "DELETE", "/api/v4/projects/24/packages/1/package_files/1", headers: job)
    #expect(deleted.status == 204)
    #expect(try FileManager.default.contentsOfDirectory(atPath: storage.path).isEmpty)
    #expect(emulator.stop() == 0)
  }

  @Test func withoutAStorageFolderUploadsLiveInATemporaryOneRemovedAtExit() throws {
    let temporary = FileManager.default.temporaryDirectory
      .appendingPathComponent("cli-tmpdir-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: temporary) }
    let emulator = try EmulatorProcess(
      ["--project", "24:group/app", "--private-token", "dev:24:developer"],
      environment: ["TMPDIR": temporary.path])
    let upload = try HTTP.request(
      emulator.baseURL, "PUT", "/api/v4/projects/24/packages/generic/app/1.0/f.bin",
      headers: [("PRIVATE-TOKEN", "dev")], body: [1, 2, 3])
    #expect(upload.status == 201)
    let made = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
    #expect(made.count == 1)
    #expect(made.first?.hasPrefix("gitlab-emulator-") == true)
    #expect(emulator.stop() == 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
  }

  @Test func sigintAlsoEndsItCleanly() throws {
    let emulator = try EmulatorProcess([])
    #expect(emulator.firstLine.hasPrefix("listening on http://127.0.0.1:"))
    #expect(try HTTP.request(emulator.baseURL, "GET", "/api/v4/projects/1").status == 404)
    #expect(emulator.stop(signal: SIGINT) == 0)
  }

  @Test(arguments: [
    (["--project", "group/app"], "--project expects ID:PATH"),
    (["--release", "24"], "--release expects ID:TAG"),
    (["--project", "24:group/app", "--release", "99:v1"], "no project 99"),
    (["--protected-tag", "v1"], "--protected-tag expects ID:TAG"),
    (["--private-token", "t:24:owner"], "role must be guest, reporter, developer or maintainer"),
    (["--private-token", "t:x:developer"], "--private-token expects TOKEN:ID:ROLE"),
    (["--job-token", "t"], "--job-token expects TOKEN:ID"),
    (["--artifacts", "24:7:/no/such/file.zip"], "cannot read '/no/such/file.zip'"),
    (["--job", "24:7:main"], "--job expects ID:JOB_ID:REF:NAME"),
    (["--job-token", "t:24:7:owner"], "--job-token role must be guest, reporter, developer or"),
    (["--reject-duplicate-packages", "app"], "--reject-duplicate-packages expects a project id"),
    (["--package-max-file-size=-1"], "--package-max-file-size must be 0 (no limit) or more"),
    (["--storage-dir", "/no/such/folder"], "--storage-dir: '/no/such/folder' is not a folder"),
    (["--latency-ms=-5"], "--latency-ms must be 0 or more"),
    (["--random-faults", "reset=2"], "reset=2.0 is not a probability between 0 and 1"),
    (["--fault-seed", "4"], "--fault-seed seeds --random-faults; give --random-faults too."),
    (["--random-faults", "slow=0.1", "--fault-seed", "x"], "--fault-seed expects a whole number"),
    (["--port", "70000"], "--port must be between 0 and 65535"),
    (["--unknown"], "Unknown option '--unknown'"),
  ])
  func badArgumentsExitWith64AndSayWhy(arguments: [String], message: String) throws {
    let result = try EmulatorProcess.runToEnd(arguments)
    #expect(result.status == 64)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }

  @Test func randomFaultsAreCountedInTheStatsAndOnStandardErrorAtExit() throws {
    let emulator = try EmulatorProcess([
      "--project", "24:group/app", "--release", "24:v1.0", "--private-token", "dev:24:developer",
      "--random-faults", "unavailable=0.5,rate-limit=0.5", "--fault-seed", "42",
    ])
    let base = emulator.baseURL
    var statuses: [Int] = []
    for _ in 0..<20 {
      statuses.append(
        try HTTP.request(
          base, "GET", "/api/v4/projects/24/releases/v1.0/assets/links",
          headers: [("PRIVATE-TOKEN", "dev")]
        ).status)
    }
    let unavailable = statuses.count { $0 == 503 }
    let limited = statuses.count { $0 == 429 }
    #expect(unavailable + limited == 20)
    #expect(unavailable > 0 && limited > 0)
    let stats = try HTTP.request(base, "GET", "/-/emulator/stats")
    let faults = #","faults":{"unavailable":\#(unavailable),"rate-limit":\#(limited)}}"#
    #expect(stats.text.hasSuffix(faults), "\(stats.text)")
    // Stopped, they inject nothing more, and their counts stay.
    let stopped = try HTTP.request(base, "DELETE", "/-/emulator/random-faults")
    #expect(stopped.text.hasSuffix(faults), "\(stopped.text)")
    let clean = try HTTP.request(
      base, "GET", "/api/v4/projects/24/releases/v1.0/assets/links",
      headers: [("PRIVATE-TOKEN", "dev")])
    #expect(clean.status == 200)
    let (status, errors) = emulator.stopReadingErrors()
    #expect(status == 0)
    #expect(
      errors.contains(
        "gitlab-emulator: random faults injected: unavailable=\(unavailable) "
          + "rate-limit=\(limited) in 21 requests"), "\(errors)")
  }

  @Test func pythonGitLabAgreesWithTheEmulator() throws {
    let emulator = try EmulatorProcess([
      "--project", "24:group/app", "--release", "24:v1.0", "--private-token", "dev:24:maintainer",
    ])
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("python/python_gitlab_check.py")
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = ["python3", script.path, emulator.baseURL, "dev", "group/app", "v1.0"]
    let output = Pipe()
    python.standardOutput = output
    python.standardError = output
    try python.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    python.waitUntilExit()
    #expect(python.terminationStatus == 0, "python-gitlab check failed:\n\(text)")
    #expect(text.contains("deleted one link; 24 remain"), "\(text)")

    let held = try HTTP.request(emulator.baseURL, "GET", "/-/emulator/links/24/v1.0")
    let names = (held.json as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
    #expect(names.count == 24)
    #expect(names.first == "renamed")
    #expect(!names.contains("asset-1"))
    #expect(emulator.stop() == 0)
  }
}
