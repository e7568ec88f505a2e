import Foundation

/// Runs a command to its end and keeps what it printed, for the tests of the repository's scripts.
enum Shell {
  /// `arguments[0]` is an absolute path or a name looked up on PATH. Without `environment` the test
  /// process's own is passed on.
  static func run(
    _ arguments: [String], environment: [String: String]? = nil, in directory: URL? = nil
  ) throws -> CLIResult {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("shell-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    // Files rather than pipes: nothing can stall on a full pipe, whatever the command prints.
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    defer {
      try? out.close()
      try? err.close()
    }

    let process = Process()
    if arguments[0].hasPrefix("/") {
      process.executableURL = URL(fileURLWithPath: arguments[0])
      process.arguments = Array(arguments.dropFirst())
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = arguments
    }
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = directory }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    return CLIResult(
      status: process.terminationStatus,
      stdout: try String(contentsOf: outURL, encoding: .utf8),
      stderr: try String(contentsOf: errURL, encoding: .utf8))
  }

  /// `bash -c SCRIPT` with the arguments as `$1`, `$2`, ….
  static func bash(
    _ script: String, _ arguments: [String] = [], environment: [String: String]? = nil,
    in directory: URL? = nil
  ) throws -> CLIResult {
    try run(
      ["/bin/bash", "-c", "set -euo pipefail\n" + script, "bash"] + arguments,
      environment: environment, in: directory)
  }
}

/// Files of this repository copied into a fresh folder, as a job's checkout would have them, so a test
/// can run the repository's scripts without writing into the working tree.
enum RepositoryCheckout {
  /// What the pipeline's scripts read: the scripts, the Makefile, the texts shipped in a tarball and the
  /// file holding the version.
  static let defaultPaths = [
    "scripts", "Makefile", "CHANGELOG.md", "LICENSE", "README.md", "Dockerfile.release",
    "Sources/ReleaseLinkerCore/Base/ReleaseLinkerVersion.swift",
  ]

  static func make(at folder: URL, paths: [String] = defaultPaths) throws {
    for path in paths {
      let target = folder.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        at: CIRepository.root.appendingPathComponent(path), to: target)
    }
  }
}
