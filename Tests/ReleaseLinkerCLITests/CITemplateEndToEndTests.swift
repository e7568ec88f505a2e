import Foundation
import Testing

/// Each example pipeline, run for real (``ExampleRun``): the jobs the release job needs run
/// their scripts, the release job's script (from the template or the component) runs the built
/// release-linker against the GitLab emulator with the job token, and a second run of the same job,
/// as a retried job would, writes nothing.
@Suite(.serialized) struct CITemplateEndToEndTests {
  static let examples = CITemplateTests.files.filter { $0.hasPrefix("ci-templates/examples/") }
  /// The examples, and the pipeline the README shows under "A complete pipeline".
  static let pipelines = examples + [ExampleRun.readmePipeline]
  /// The pipelines whose release job takes the build job's id from its dotenv report.
  static let pipelinesPassingABuildJobID = pipelines.filter { file in
    guard let pipeline = try? ExampleRun.pipeline(file),
      let release = pipeline.publishingJobs().first, let needs = try? pipeline.needs(of: release)
    else { return true }
    return needs.contains {
      pipeline.resolvedJob($0)["artifacts"]?.map?["reports"]?.map?["dotenv"] != nil
    }
  }

  @Test(arguments: pipelines)
  func exampleLinksTheBuildOnceAndARerunWritesNothing(file: String) throws {
    let example = try ExampleRun(file)
    defer { example.cleanUp() }
    let emulator = try example.startEmulator()
    defer { emulator.stop() }
    let project = ExampleRun.projectID
    let tag = ExampleRun.tag

    let first = try example.runReleaseJob(emulator)
    try #require(first.status == 0, "\(file): the release job failed: \(first.stderr)")
    let links = try emulator.links(project: project, tag: tag)
    let firstReport = try example.dotenv()
    #expect(!links.isEmpty)
    #expect(firstReport["RELEASE_LINKER_TAG"] == tag)
    #expect(firstReport["RELEASE_LINKER_CREATED"] == String(links.count))
    #expect(firstReport["RELEASE_LINKER_FAILED"] == "0")
    for link in links {
      let name = link["name"] as? String ?? ""
      let url = link["url"] as? String ?? ""
      // Each link points at the artifacts of the job that built its file.
      let builder = example.builder(ofFileNamed: name)
      #expect(builder != nil, "\(file): link \(name) names no file the build made")
      #expect(
        url.hasPrefix(
          ExampleRun.projectURL + "/-/jobs/\(builder ?? "?")/artifacts/raw/"),
        "\(file): \(url) does not point at the artifacts of job \(builder ?? "?")")
      #expect((link["direct_asset_path"] as? String)?.hasPrefix("/") == true)
    }
    let report = try Data(
      contentsOf: example.workspace.appendingPathComponent("release-linker.json"))
    let summary = try #require(
      (try JSONSerialization.jsonObject(with: report) as? [String: Any])?["summary"]
        as? [String: Any])
    #expect(summary["create"] as? Int == links.count)

    // A retried job: the same script again finds every link in place.
    let writesBefore = try emulator.writes()
    let second = try example.runReleaseJob(emulator)
    #expect(second.status == 0, "\(file): the re-run failed: \(second.stderr)")
    #expect(try emulator.writes() == writesBefore, "\(file): the re-run sent writes")
    let secondReport = try example.dotenv()
    #expect(secondReport["RELEASE_LINKER_CREATED"] == "0")
    #expect(secondReport["RELEASE_LINKER_UNCHANGED"] == String(links.count))
    #expect(try emulator.links(project: project, tag: tag).count == links.count)
  }

  @Test func theMatrixExampleListsThePlatformsByNameAndARetriedBuildUpdatesOnlyItsLink() throws {
    let example = try ExampleRun("ci-templates/examples/matrix.gitlab-ci.yml")
    defer { example.cleanUp() }
    let builds = try example.neededJobs()
    #expect(builds.count == 3)
    #expect(Set(example.jobIDs.values).count == 3, "every build job has its own id")
    let emulator = try example.startEmulator()
    defer { emulator.stop() }
    let first = try example.runReleaseJob(emulator)
    try #require(first.status == 0, "the release job failed: \(first.stderr)")
    let before = try emulator.links(
      project: ExampleRun.projectID, tag: ExampleRun.tag)
    // The emulator's own route lists oldest first; RELEASE_LINKER_ORDER=name created the last name
    // first, so GitLab, newest first, shows them by name.
    #expect(
      before.compactMap { $0["name"] as? String }.reversed() == [
        "hello-darwin-arm64", "hello-linux-amd64", "hello-windows-amd64",
      ])

    // The linux job is retried: a new job id, the same file, a new manifest.
    let linux = try #require(builds.first { $0.contains("linux-amd64") })
    try example.runNeededJob(linux, jobID: "1009")
    let writesBefore = try emulator.writes()
    let rerun = try example.runReleaseJob(emulator)
    #expect(rerun.status == 0, "the release job's re-run failed: \(rerun.stderr)")
    #expect(try emulator.writes() == writesBefore + 1)
    let report = try example.dotenv()
    #expect(report["RELEASE_LINKER_UPDATED"] == "1")
    #expect(report["RELEASE_LINKER_UNCHANGED"] == "2")
    let after = try emulator.links(
      project: ExampleRun.projectID, tag: ExampleRun.tag)
    for link in after {
      let name = link["name"] as? String ?? ""
      let url = link["url"] as? String ?? ""
      if name == "hello-linux-amd64" {
        #expect(url.contains("/-/jobs/1009/artifacts/raw/dist/linux-amd64/"), "\(url)")
      } else {
        let old = before.first { $0["name"] as? String == name }
        #expect(old?["url"] as? String == url, "\(name) changed")
      }
    }
  }

  /// The build job's dotenv report never reaches the release job (no `needs:` on it, or the build
  /// job wrote none): its job id variable is unset. The release job must stop with 64 before it
  /// sends anything, not link the files to the release job's own id or drop the job.
  @Test(arguments: pipelinesPassingABuildJobID)
  func anUnsetBuildJobIDFailsWith64AndWritesNothing(file: String) throws {
    let example = try ExampleRun(file)
    defer { example.cleanUp() }
    let emulator = try example.startEmulator()
    defer { emulator.stop() }
    let run = try example.runReleaseJob(emulator, dotenvReports: false)
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

/// One example pipeline run for real, as GitLab would run it: the jobs the release job needs run
/// their scripts first (each in its own checkout, with its own job id, with the built release-linker
/// on PATH), GitLab hands their artifacts to the release job and keeps each as that job's artifacts
/// archive, and the release job's script runs against the GitLab emulator with the job token.
final class ExampleRun {
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
  /// The job that publishes.
  let releaseJob: String
  /// Whether the release job creates the release (else the emulator starts with it).
  let createsRelease: Bool
  let root: URL
  /// The release job's checkout, where the needed jobs' artifacts land.
  let workspace: URL
  /// The job id each needed job ran as.
  private(set) var jobIDs: [String: String] = [:]
  /// Every file the needed jobs kept as artifacts, by path in the workspace, with the job that
  /// built it.
  private(set) var builtBy: [String: String] = [:]
  /// The artifacts archive of each job id.
  private(set) var archives: [String: URL] = [:]
  private var checkouts = 0

  static let projectID = "20"
  static let tag = "v1.2.3"
  /// Every job's CI_PROJECT_URL, and the host of the emulator's web URLs.
  static let serverURL = "https://gitlab.example.com"
  static let projectURL = serverURL + "/group/project"

  /// Sets the pipeline up and runs every job the release job needs.
  init(_ file: String) throws {
    self.file = file
    pipeline = try Self.pipeline(file)
    releaseJob = try #require(pipeline.publishingJobs().first, "\(file) has no job that publishes")
    createsRelease = try pipeline.runScript(of: releaseJob).calls.contains {
      $0.first == "publish" && $0.contains("--create-release")
    }
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("ci-example-\(UUID().uuidString)")
    workspace = root.appendingPathComponent("release")
    try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
    do {
      try runNeededJobs()
    } catch {
      cleanUp()
      throw error
    }
  }

  func cleanUp() {
    try? FileManager.default.removeItem(at: root)
  }

  /// The jobs the release job needs, in order.
  func neededJobs() throws -> [String] { try pipeline.needs(of: releaseJob) }

  /// Runs every needed job, the first as ``CIPipeline/neededJobID`` and the next ones counting up.
  private func runNeededJobs() throws {
    let base = Int(CIPipeline.neededJobID) ?? 1001
    for (index, need) in try neededJobs().enumerated() {
      try runNeededJob(need, jobID: String(base + index))
    }
    try #require(!builtBy.isEmpty, "\(file): the jobs the release job needs produced no artifacts")
  }

  /// Runs one needed job in a fresh checkout as job `jobID` (a retry gets a new id), and hands its
  /// artifacts to the release job's workspace, replacing what an earlier run of it left there.
  func runNeededJob(_ need: String, jobID: String) throws {
    checkouts += 1
    let checkout = root.appendingPathComponent("build-\(checkouts)")
    try FileManager.default.createDirectory(at: checkout, withIntermediateDirectories: true)
    try "release notes\n".write(
      to: checkout.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    var environment = try pipeline.environment(
      of: need, directory: checkout.path, jobID: jobID, overrides: [:]
    ).variables
    environment["PATH"] = Self.searchPath(environment["PATH"])
    let run = try CIPipeline.bash(
      pipeline.script(of: need), environment: environment, in: checkout)
    try #require(run.status == 0, "\(file): job \(need) failed: \(run.stderr)")
    jobIDs[need] = jobID
    let archive = root.appendingPathComponent("artifacts-\(jobID).zip")
    for path in pipeline.artifactPaths(of: need) {
      let source = checkout.appendingPathComponent(path)
      for built in try CITemplateEndToEndTests.files(under: source) {
        let relative = String(built.dropFirst(checkout.path.count + 1))
        let target = workspace.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
          at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(atPath: built, toPath: target.path)
        builtBy[relative] = jobID
      }
      let zip = try CIPipeline.bash(
        "zip -qr \"$ARCHIVE\" \"$ARTIFACT\"",
        environment: [
          "ARCHIVE": archive.path, "ARTIFACT": path, "PATH": Self.searchPath(nil),
        ], in: checkout)
      try #require(zip.status == 0, "zip failed: \(zip.stderr)")
    }
    archives[jobID] = archive
  }

  /// The emulator as this pipeline's GitLab: the project, the release job's token, every needed
  /// job's artifacts archive, and the release unless the job creates it.
  func startEmulator() throws -> EmulatorProcess {
    var seeds = [
      "--server-url", Self.serverURL, "--project", "\(Self.projectID):group/project",
      "--job-token", "job-token-value:\(Self.projectID):\(CIPipeline.ownJobID)",
    ]
    for (jobID, archive) in archives.sorted(by: { $0.key < $1.key }) {
      seeds += ["--artifacts", "\(Self.projectID):\(jobID):\(archive.path)"]
    }
    if !createsRelease { seeds += ["--release", "\(Self.projectID):\(Self.tag)"] }
    return try EmulatorProcess(arguments: seeds)
  }

  /// The release job's variables against `emulator`, with the built `release-linker` on PATH; without
  /// the needed jobs' dotenv reports when `dotenvReports` is false.
  func releaseEnvironment(_ emulator: EmulatorProcess, dotenvReports: Bool = true) throws
    -> (variables: [String: String], unresolved: [String])
  {
    var (environment, unresolved) = try pipeline.environment(
      of: releaseJob, directory: workspace.path,
      overrides: [
        "CI_API_V4_URL": emulator.baseURL + "/api/v4", "CI_SERVER_URL": emulator.baseURL,
      ], neededJobIDs: jobIDs, dotenvReports: dotenvReports)
    environment["PATH"] = Self.searchPath(environment["PATH"])
    return (environment, unresolved)
  }

  /// Runs the release job's script against `emulator`.
  func runReleaseJob(_ emulator: EmulatorProcess, dotenvReports: Bool = true) throws -> (
    status: Int32, stderr: String
  ) {
    let environment = try releaseEnvironment(emulator, dotenvReports: dotenvReports).variables
    return try CIPipeline.bash(
      pipeline.script(of: releaseJob), environment: environment, in: workspace)
  }

  /// The job id that built the file a link named `name` links, when exactly one built file has that
  /// name.
  func builder(ofFileNamed name: String) -> String? {
    let owners = builtBy.filter { ($0.key as NSString).lastPathComponent == name }
    return owners.count == 1 ? owners.first?.value : nil
  }

  /// The release job's dotenv report.
  func dotenv() throws -> [String: String] {
    try CITemplateEndToEndTests.dotenv(workspace.appendingPathComponent("release-linker.env"))
  }

  private static func searchPath(_ path: String?) -> String {
    CLIRunner.productsDirectory.path + ":"
      + (path ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
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
