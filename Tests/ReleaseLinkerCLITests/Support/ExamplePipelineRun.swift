import Foundation
import Testing

/// One example pipeline run for real, as GitLab would run it: the jobs the release job needs run
/// their scripts first (each in its own checkout, with its own job id, with the built release-linker
/// on PATH), GitLab hands their artifacts to the release job and keeps each as that job's artifacts
/// archive, and the release job's script runs against the GitLab emulator with the job token.
final class ExamplePipelineRun {
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

  init(_ file: String) throws {
    self.file = file
    pipeline = try CIPipeline.load(file)
    releaseJob = try #require(pipeline.publishingJobs().first, "\(file) has no job that publishes")
    createsRelease = try pipeline.runScript(of: releaseJob).calls.contains {
      $0.first == "publish" && $0.contains("--create-release")
    }
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("ci-example-\(UUID().uuidString)")
    workspace = root.appendingPathComponent("release")
    try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
  }

  func cleanUp() {
    try? FileManager.default.removeItem(at: root)
  }

  /// The jobs the release job needs, in order.
  func neededJobs() throws -> [String] { try pipeline.needs(of: releaseJob) }

  /// Runs every needed job, the first as ``CIPipeline/neededJobID`` and the next ones counting up.
  func runNeededJobs() throws {
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

  /// Runs the release job's script against `emulator`.
  func runReleaseJob(_ emulator: EmulatorProcess) throws -> (status: Int32, stderr: String) {
    var environment = try pipeline.environment(
      of: releaseJob, directory: workspace.path,
      overrides: [
        "CI_API_V4_URL": emulator.baseURL + "/api/v4", "CI_SERVER_URL": emulator.baseURL,
      ], neededJobIDs: jobIDs
    ).variables
    environment["PATH"] = Self.searchPath(environment["PATH"])
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
