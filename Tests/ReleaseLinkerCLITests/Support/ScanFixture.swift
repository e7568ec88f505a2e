import Foundation
import Testing

/// A temporary project folder to build artifacts and archives in, removed afterwards.
final class ScanFixture {
  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "scan-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(at: root)
  }

  /// The environment of a CI job in this folder; no token, so any network use would fail.
  var environment: [String: String] {
    [
      "CI_PROJECT_URL": "https://gitlab.example.com/mynamespace/hello",
      "CI_JOB_ID": "688",
      "CI_PROJECT_DIR": root.path,
    ]
  }

  func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  /// Where the entries of a local `--archive` are served: GitLab's job artifacts URLs serve no
  /// entry inside an archive, so scanning one needs `--url-template`.
  static let entryURL = "https://downloads.example.com/{path}"

  @discardableResult
  func write(_ relative: String, _ contents: String) throws -> URL {
    try write(relative, Data(contents.utf8))
  }

  @discardableResult
  func write(_ relative: String, _ contents: Data) throws -> URL {
    let file = url(relative)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try contents.write(to: file)
    return file
  }

  func symlink(_ relative: String, to destination: String) throws {
    try FileManager.default.createSymbolicLink(
      atPath: url(relative).path, withDestinationPath: destination)
  }

  /// Runs a Debian tool (`bsdtar`, `zip`, `7z`, `sh`…) in `directory` (relative to the root).
  @discardableResult
  func tool(_ arguments: [String], in directory: String = ".") throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = url(directory)
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "\(arguments.joined(separator: " ")) failed")
    return String(decoding: data, as: UTF8.self)
  }

  /// The SHA-256 of a file as coreutils computes it.
  func sha256sum(_ relative: String) throws -> String {
    String(try tool(["sha256sum", relative]).prefix(64))
  }

  /// Runs `release-linker` here with the CI environment plus `extra`.
  func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CLIResult {
    try CLIRunner.run(
      arguments, environment: environment.merging(extra) { $1 }, in: root)
  }
}

/// The `links` of a JSON report, keyed by artifact path.
struct ScannedLinks {
  let document: [String: Any]
  let links: [[String: Any]]

  init(_ result: CLIResult) throws {
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    document = try #require(object as? [String: Any], "stdout is not one JSON object")
    links = try #require(document["links"] as? [[String: Any]])
  }

  var artifactPaths: [String] { links.compactMap { $0["artifact_path"] as? String } }

  func link(_ artifactPath: String) throws -> [String: Any] {
    try #require(
      links.first { $0["artifact_path"] as? String == artifactPath }, "no link for \(artifactPath)")
  }
}

/// GitLab's `direct_asset_path` rule, written independently of the code under test.
func gitLabAcceptsPath(_ path: String) -> Bool {
  guard path.count <= 128 else { return false }
  let pattern = #"\A/[^/](?!.*//.*)[\-\.A-Za-z0-9_/]+[0-9a-zA-Z]+\z"#
  guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
  return regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
}
