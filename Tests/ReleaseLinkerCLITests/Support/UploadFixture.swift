import Foundation
import GitLabEmulator

/// The seed example's world for uploads: like ``PublishFixture``, but the project's web URL is the
/// emulator's own, so that the links can be downloaded and verified over loopback.
struct UploadFixture {
  static let packageName = "hello"
  static let packageVersion = "v1.7.0"

  let world: PublishFixture
  var emulator: GitLabEmulator { world.emulator }
  var directory: URL { world.directory }

  init(_ emulator: GitLabEmulator) throws {
    world = try PublishFixture(emulator)
  }

  var projectURL: String { "\(emulator.baseURL)/\(PublishFixture.projectPath)" }

  /// Runs `release-linker` in the project folder; `extra` overrides the job's variables.
  func run(_ arguments: [String], extra: [String: String] = [:]) throws -> CLIResult {
    var variables = ["CI_PROJECT_URL": projectURL]
    variables.merge(extra) { $1 }
    return try world.run(arguments, extra: variables)
  }

  @discardableResult
  func file(_ path: String, _ contents: String) throws -> URL {
    let url = directory.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(contents.utf8).write(to: url)
    return url
  }

  /// A tar.gz at `archive` (relative to the project folder) of the files under `folder`.
  func tarGz(_ archive: String, of folder: String) throws {
    try tool(["tar", "-czf", archive, "-C", folder, "."])
  }

  /// Runs a tool in the project folder; throws with its output when it fails.
  @discardableResult
  func tool(_ arguments: [String], in folder: URL? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = folder ?? directory
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ToolError.failed(arguments.joined(separator: " "), text)
    }
    return text
  }

  /// Downloads `url` as a person with the job's credentials would (redirects followed) into
  /// `folder/name`.
  func download(_ url: String, to folder: URL, as name: String) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try tool([
      "curl", "--silent", "--show-error", "--fail", "--location", "--header",
      "JOB-TOKEN: \(PublishFixture.jobToken)", "--output", folder.appendingPathComponent(name).path,
      url,
    ])
  }

  /// The files the registry holds in the package, oldest first.
  var packageFiles: [EmulatedPackageFile] {
    emulator.packageFiles.filter {
      $0.packageName == Self.packageName && $0.packageVersion == Self.packageVersion
    }
  }

  var links: [EmulatedLink] { world.links }

  /// The download route of a package file.
  func downloadURL(_ file: EmulatedPackageFile) -> String {
    "\(projectURL)/-/package_files/\(file.id)/download"
  }

  /// Requests whose raw path ends with `suffix`, by method.
  func requests(_ method: String, endingWith suffix: String) -> [LoggedRequest] {
    emulator.requestLog.filter { $0.method == method && $0.rawPath.hasSuffix(suffix) }
  }

  func cleanUp() { world.cleanUp() }

  enum ToolError: Error, CustomStringConvertible {
    case failed(String, String)
    var description: String {
      switch self {
      case .failed(let command, let output): "\(command) failed: \(output)"
      }
    }
  }
}

extension PublishReport {
  /// The `uploads` section's files.
  var uploadedFiles: [[String: Any]] {
    (root["uploads"] as? [String: Any])?["files"] as? [[String: Any]] ?? []
  }

  /// One value of every uploaded file, as text ("null" for JSON null).
  func uploadValues(_ key: String) -> [String] {
    uploadedFiles.map { file in
      switch file[key] {
      case let string as String: string
      case let number as NSNumber: number.stringValue
      default: "null"
      }
    }
  }
}
