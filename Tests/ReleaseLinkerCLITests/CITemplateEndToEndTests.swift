import Foundation
import Testing

/// Each example pipeline, run for real: the build job's script makes its artifacts, the release job's
/// script (from the template or the component) runs the built release-linker against the GitLab
/// emulator with the job token, and a second run of the same job, as a retried job would, writes
/// nothing.
@Suite(.serialized) struct CITemplateEndToEndTests {
  static let examples = CITemplateTests.files.filter { $0.hasPrefix("ci-templates/examples/") }
  /// The examples, and the pipeline the README shows under "A complete pipeline".
  static let pipelines = examples + [ExampleRun.readmePipeline]

  static let projectID = "20"
  static let buildJobID = CIPipeline.neededJobID

  @Test(arguments: pipelines)
  func exampleLinksTheBuildOnceAndARerunWritesNothing(file: String) throws {
    let example = try ExampleRun(file)
    defer { example.cleanUp() }
    let emulator = try example.startEmulator()
    defer { emulator.stop() }
    let (environment, _) = try example.releaseEnvironment(emulator)
    let workspace = example.workspace
    let script = example.pipeline.script(of: example.releaseJob)

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
        example.built.contains { ($0 as NSString).lastPathComponent == name },
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

  /// The build job's dotenv report never reaches the release job (no `needs:` on it, or the build
  /// job wrote none): its job id variable is unset. The release job must stop with 64 before it
  /// sends anything, not link the files to the release job's own id or drop the job.
  @Test(arguments: pipelines)
  func anUnsetBuildJobIDFailsWith64AndWritesNothing(file: String) throws {
    let example = try ExampleRun(file)
    defer { example.cleanUp() }
    let emulator = try example.startEmulator()
    defer { emulator.stop() }
    let (environment, _) = try example.releaseEnvironment(emulator, dotenvReports: false)

    let run = try CIPipeline.bash(
      example.pipeline.script(of: example.releaseJob), environment: environment,
      in: example.workspace)
    #expect(run.status == 64, "\(file): \(run.status) \(run.stderr)")
    #expect(run.stderr.contains("is empty"), "\(file): \(run.stderr)")
    #expect(try emulator.requests() == 0, "\(file): the job sent requests")
    #expect(try emulator.writes() == 0, "\(file): the job wrote to GitLab")
    for name in ["release-linker.json", "release-linker.env"] {
      #expect(
        !FileManager.default.fileExists(
          atPath: example.workspace.appendingPathComponent(name).path),
        "\(file): \(name) was written")
    }
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

/// One example pipeline set up as GitLab would run it: the jobs the release job needs have run, their
/// artifacts are in the release job's workspace and in the build job's artifacts archive.
struct ExampleRun {
  /// The name under which the README's pipeline is run.
  static let readmePipeline = "README.md#a-complete-pipeline"

  /// A file of the repository, or the README's pipeline.
  static func pipeline(_ file: String) throws -> CIPipeline {
    guard file == readmePipeline else { return try CIPipeline.load(file) }
    return try CIPipeline.load(
      file, text: CIRepository.yamlBlock(in: "README.md", after: "## A complete pipeline"))
  }

  let file: String
  let pipeline: CIPipeline
  let releaseJob: String
  let root: URL
  let workspace: URL
  let archive: URL
  /// Every file the needed jobs produced, as paths under the build folder.
  let built: Set<String>
  let createsRelease: Bool

  init(_ file: String) throws {
    self.file = file
    pipeline = try Self.pipeline(file)
    releaseJob = try #require(pipeline.jobsCallingReleaseLinker().first)
    let planned = try pipeline.runScript(of: releaseJob).calls
    createsRelease = planned.contains { $0.first == "publish" && $0.contains("--create-release") }

    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("ci-example-\(UUID().uuidString)")
    let build = root.appendingPathComponent("build")
    workspace = root.appendingPathComponent("release")
    for folder in [build, workspace] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    // The jobs it needs run first; GitLab then hands their artifacts to the release job and keeps
    // them as the build job's artifacts archive.
    try "release notes\n".write(
      to: build.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    var built: Set<String> = []
    archive = root.appendingPathComponent("artifacts-\(CIPipeline.neededJobID).zip")
    for need in try pipeline.needs(of: releaseJob) {
      let environment = try pipeline.environment(
        of: need, directory: build.path, jobID: CIPipeline.neededJobID)
      let run = try CIPipeline.bash(
        pipeline.script(of: need), environment: environment.variables, in: build)
      try #require(run.status == 0, "\(file): job \(need) failed: \(run.stderr)")
      for path in pipeline.artifactPaths(of: need) {
        let source = build.appendingPathComponent(path)
        let target = workspace.appendingPathComponent(path)
        try FileManager.default.createDirectory(
          at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: target)
        built.formUnion(try CITemplateEndToEndTests.files(under: source))
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
    self.built = built
  }

  /// The pipeline's GitLab: the project, the release job's token, the build job's artifacts, and the
  /// release unless the job creates it.
  func startEmulator() throws -> EmulatorProcess {
    let project = CITemplateEndToEndTests.projectID
    var seeds = [
      "--project", "\(project):group/project",
      "--job-token", "job-token-value:\(project):\(CIPipeline.ownJobID)",
      "--artifacts", "\(project):\(CIPipeline.neededJobID):\(archive.path)",
    ]
    if !createsRelease { seeds += ["--release", "\(project):v1.2.3"] }
    return try EmulatorProcess(arguments: seeds)
  }

  /// The release job's variables against `emulator`, with the built `release-linker` on PATH.
  func releaseEnvironment(_ emulator: EmulatorProcess, dotenvReports: Bool = true) throws
    -> (variables: [String: String], unresolved: [String])
  {
    let overrides = [
      "CI_API_V4_URL": emulator.baseURL + "/api/v4", "CI_SERVER_URL": emulator.baseURL,
      "CI_PROJECT_URL": emulator.baseURL + "/group/project",
    ]
    var (environment, unresolved) = try pipeline.environment(
      of: releaseJob, directory: workspace.path, overrides: overrides,
      dotenvReports: dotenvReports)
    environment["PATH"] =
      CLIRunner.productsDirectory.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
    return (environment, unresolved)
  }

  func cleanUp() {
    try? FileManager.default.removeItem(at: root)
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

  /// API requests of any kind the emulator has answered.
  func requests() throws -> Int {
    (try get("/-/emulator/stats") as? [String: Any])?["requests"] as? Int ?? -1
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
