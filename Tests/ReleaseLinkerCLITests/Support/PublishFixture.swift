import Foundation
import GitLabEmulator

/// The seed example's world: project 20 (`mynamespace/hello`) with release `v1.7.0` on an emulator whose
/// web URLs use `https://gitlab.example.com`, a running job's token, and a project folder to fill.
struct PublishFixture {
  static let projectID = 20
  static let projectPath = "mynamespace/hello"
  static let tag = "v1.7.0"
  static let jobToken = "glcbt-64_publish-fixture-secret"
  static let serverURL = "https://gitlab.example.com"

  let emulator: GitLabEmulator
  let directory: URL
  /// The project's full path (the seed example's unless a test needs another).
  let projectPath: String

  /// Starts from an emulator with the project, a job token and (unless `release` is false) the release.
  init(_ emulator: GitLabEmulator, release: Bool = true, projectPath: String = projectPath) throws {
    self.emulator = emulator
    self.projectPath = projectPath
    emulator.addProject(id: Self.projectID, path: projectPath)
    if release { emulator.addRelease(projectID: Self.projectID, tag: Self.tag) }
    emulator.addJobToken(Self.jobToken, projectID: Self.projectID, jobID: 688)
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("release-linker-publish-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  /// The variables a release job of the seed example sees.
  func environment(jobID: Int = 688, extra: [String: String] = [:]) -> [String: String] {
    var environment = [
      "CI_API_V4_URL": emulator.apiURL,
      "CI_PROJECT_ID": "\(Self.projectID)",
      "CI_PROJECT_PATH": projectPath,
      "CI_PROJECT_URL": "\(Self.serverURL)/\(projectPath)",
      "CI_PROJECT_DIR": directory.path,
      "CI_COMMIT_TAG": Self.tag,
      "CI_JOB_ID": "\(jobID)",
      "CI_JOB_NAME": "release",
      "CI_JOB_TOKEN": Self.jobToken,
    ]
    environment.merge(extra) { $1 }
    return environment
  }

  /// Writes a file of `size` bytes under the project folder.
  @discardableResult
  func file(_ path: String, size: Int = 16, byte: UInt8 = 0x61) throws -> URL {
    let url = directory.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(repeating: byte, count: size).write(to: url)
    return url
  }

  /// Runs a Debian tool (`bsdtar`, `zip`…) in a folder of the project; throws when it fails.
  func tool(_ arguments: [String], in folder: String = ".") throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = directory.appendingPathComponent(folder)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ToolError(command: arguments.joined(separator: " "))
    }
  }

  struct ToolError: Error { var command: String }

  /// Runs `release-linker` in the project folder with the job's variables.
  func run(_ arguments: [String], jobID: Int = 688, extra: [String: String] = [:]) throws
    -> CLIResult
  {
    try CLIRunner.run(
      arguments, environment: environment(jobID: jobID, extra: extra), in: directory)
  }

  /// The links the server holds now.
  var links: [EmulatedLink] { emulator.links(projectID: Self.projectID, tag: Self.tag) }

  /// The URL `publish` derives for an artifact path of job `jobID`.
  static func artifactURL(_ path: String, jobID: Int = 688) -> String {
    "\(serverURL)/\(projectPath)/-/jobs/\(jobID)/artifacts/raw/\(path)"
  }

  func cleanUp() {
    try? FileManager.default.removeItem(at: directory)
  }
}

/// The JSON document of `--output json` / `--report`, decoded loosely for checks.
struct PublishReport {
  let root: [String: Any]

  init(_ text: String) throws {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    else {
      throw ReportError.notAnObject(text)
    }
    root = object
  }

  init(file: URL) throws {
    try self.init(String(decoding: try Data(contentsOf: file), as: UTF8.self))
  }

  var links: [[String: Any]] { root["links"] as? [[String: Any]] ?? [] }
  var summary: [String: Int] { root["summary"] as? [String: Int] ?? [:] }

  /// The values of `key` over every link, as strings ("null" for JSON null).
  func values(_ key: String) -> [String] {
    links.map { link in
      switch link[key] {
      case let string as String: string
      case let number as NSNumber: number.stringValue
      default: "null"
      }
    }
  }

  enum ReportError: Error { case notAnObject(String) }
}
