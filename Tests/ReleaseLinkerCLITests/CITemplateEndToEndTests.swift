import Foundation
import Testing

/// Each example pipeline, run for real: the build job's script makes its artifacts, the release job's
/// script (from the template or the component) runs the built release-linker against the GitLab
/// emulator with the job token, and a second run of the same job, as a retried job would, writes
/// nothing.
@Suite(.serialized) struct CITemplateEndToEndTests {
  static let examples = CITemplateTests.files.filter { $0.hasPrefix("ci-templates/examples/") }

  static let projectID = "20"
  static let buildJobID = CIPipeline.neededJobID

  @Test(arguments: examples)
  func exampleLinksTheBuildOnceAndARerunWritesNothing(file: String) throws {
    let pipeline = try CIPipeline.load(file)
    let releaseJob = try #require(pipeline.jobsCallingReleaseLinker().first)
    let planned = try pipeline.runScript(of: releaseJob).calls
    let createsRelease = planned.contains {
      $0.first == "publish" && $0.contains("--create-release")
    }

    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("ci-example-\(UUID().uuidString)")
    let build = root.appendingPathComponent("build")
    let workspace = root.appendingPathComponent("release")
    for folder in [build, workspace] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    defer { try? FileManager.default.removeItem(at: root) }

    // The jobs it needs run first; GitLab then hands their artifacts to the release job and keeps
    // them as the build job's artifacts archive.
    try "release notes\n".write(
      to: build.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    var built: Set<String> = []
    let archive = root.appendingPathComponent("artifacts-\(Self.buildJobID).zip")
    for need in try pipeline.needs(of: releaseJob) {
      let environment = try pipeline.environment(
        of: need, directory: build.path, jobID: Self.buildJobID)
      let run = try CIPipeline.bash(
        pipeline.script(of: need), environment: environment.variables, in: build)
      try #require(run.status == 0, "\(file): job \(need) failed: \(run.stderr)")
      for path in pipeline.artifactPaths(of: need) {
        let source = build.appendingPathComponent(path)
        let target = workspace.appendingPathComponent(path)
        try FileManager.default.createDirectory(
          at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: target)
        built.formUnion(try Self.files(under: source))
        let zip = try CIPipeline.bash(
          "zip -qr \"$ARCHIVE\" \"$ARTIFACT\"",
          environment: [
            "ARCHIVE": archive.path, "ARTIFACT": path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
          ], in: build)
        try #require(zip.status == 0, "zip failed: \(zip.stderr)")
      }
    }
    try #require(!built.isEmpty, "\(file): the jobs the release job needs produced no artifacts")

    var seeds = [
      "--project", "\(Self.projectID):group/project",
      "--job-token", "job-token-value:\(Self.projectID):\(CIPipeline.ownJobID)",
      "--artifacts", "\(Self.projectID):\(Self.buildJobID):\(archive.path)",
    ]
    if !createsRelease { seeds += ["--release", "\(Self.projectID):v1.2.3"] }
    let emulator = try EmulatorProcess(arguments: seeds)
    defer { emulator.stop() }

    let overrides = [
      "CI_API_V4_URL": emulator.baseURL + "/api/v4", "CI_SERVER_URL": emulator.baseURL,
      "CI_PROJECT_URL": emulator.baseURL + "/group/project",
    ]
    var environment = try pipeline.environment(
      of: releaseJob, directory: workspace.path, overrides: overrides
    ).variables
    environment["PATH"] =
      CLIRunner.productsDirectory.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
    let script = pipeline.script(of: releaseJob)

    let first = try CIPipeline.bash(script, environment: environment, in: workspace)
    try #require(first.status == 0, "\(file): the release job failed: \(first.stderr)")
    let links = try emulator.links(project: Self.projectID, tag: "v1.2.3")
    let firstReport = try Self.dotenv(workspace.appendingPathComponent("release-linker.env"))
    #expect(!links.isEmpty)
    #expect(firstReport["RELEASE_LINKER_TAG"] == "v1.2.3")
    #expect(firstReport["RELEASE_LINKER_CREATED"] == String(links.count))
    #expect(firstReport["RELEASE_LINKER_FAILED"] == "0")
    for link in links {
      let url = link["url"] as? String ?? ""
      #expect(
        url.hasPrefix(emulator.baseURL + "/group/project/-/jobs/\(Self.buildJobID)/artifacts/raw/"),
        "\(file): \(url) does not point at the build job's artifacts")
      let name = link["name"] as? String ?? ""
      #expect(
        built.contains { ($0 as NSString).lastPathComponent == name },
        "\(file): link \(name) names no file the build made")
      #expect((link["direct_asset_path"] as? String)?.hasPrefix("/") == true)
    }
    let report = try Data(contentsOf: workspace.appendingPathComponent("release-linker.json"))
    let summary = try #require(
      (try JSONSerialization.jsonObject(with: report) as? [String: Any])?["summary"]
        as? [String: Any])
    #expect(summary["create"] as? Int == links.count)

    // A retried job: the same script again finds every link in place.
    let writesBefore = try emulator.writes()
    let second = try CIPipeline.bash(script, environment: environment, in: workspace)
    #expect(second.status == 0, "\(file): the re-run failed: \(second.stderr)")
    #expect(try emulator.writes() == writesBefore, "\(file): the re-run sent writes")
    let secondReport = try Self.dotenv(workspace.appendingPathComponent("release-linker.env"))
    #expect(secondReport["RELEASE_LINKER_CREATED"] == "0")
    #expect(secondReport["RELEASE_LINKER_UNCHANGED"] == String(links.count))
    #expect(try emulator.links(project: Self.projectID, tag: "v1.2.3").count == links.count)
  }

  /// Regular files under `url` (itself, if it is one), as paths.
  static func files(under url: URL) throws -> Set<String> {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      return []
    }
    guard isDirectory.boolValue else { return [url.path] }
    var files: Set<String> = []
    for case let path as String in FileManager.default.enumerator(atPath: url.path) ?? .init() {
      let file = url.appendingPathComponent(path)
      var directory: ObjCBool = false
      if FileManager.default.fileExists(atPath: file.path, isDirectory: &directory),
        !directory.boolValue
      {
        files.insert(file.path)
      }
    }
    return files
  }

  static func dotenv(_ url: URL) throws -> [String: String] {
    var values: [String: String] = [:]
    for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
      let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
    }
    return values
  }
}

extension CIPipeline {
  /// The paths a job keeps as artifacts (`artifacts:paths`), without a trailing `/`.
  func artifactPaths(of jobName: String) -> [String] {
    (resolvedJob(jobName)["artifacts"]?.map?["paths"]?.list ?? []).compactMap(\.string).map {
      $0.hasSuffix("/") ? String($0.dropLast()) : $0
    }
  }
}

/// The built `gitlab-emulator` running as its own process, as a pipeline's GitLab.
final class EmulatorProcess {
  let process = Process()
  let baseURL: String

  init(arguments: [String]) throws {
    process.executableURL = CLIRunner.productsDirectory.appendingPathComponent("gitlab-emulator")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Its first line is `listening on http://HOST:PORT`; end of output first means it stopped.
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard let start = text.range(of: "listening on ") else {
      process.terminate()
      throw CITestError("gitlab-emulator did not start: \(text)")
    }
    baseURL = String(text[start.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func stop() {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }

  /// The links a release holds, read through the emulator's own route.
  func links(project: String, tag: String) throws -> [[String: Any]] {
    try get("/-/emulator/links/\(project)/\(tag)") as? [[String: Any]] ?? []
  }

  /// Write requests (POST, PUT, DELETE) the emulator has answered.
  func writes() throws -> Int {
    (try get("/-/emulator/stats") as? [String: Any])?["writes"] as? Int ?? -1
  }

  private func get(_ path: String) throws -> Any {
    let curl = Process()
    curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    curl.arguments = ["--silent", "--fail", baseURL + path]
    let output = Pipe()
    curl.standardOutput = output
    curl.standardError = FileHandle.nullDevice
    try curl.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    curl.waitUntilExit()
    guard curl.terminationStatus == 0 else {
      throw CITestError("GET \(path) on the emulator failed (curl exit \(curl.terminationStatus))")
    }
    return try JSONSerialization.jsonObject(with: data)
  }
}
