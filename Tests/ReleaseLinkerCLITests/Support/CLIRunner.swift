import Foundation

/// What one run of a built executable printed and how it ended.
struct CLIResult: Sendable {
  var status: Int32
  var stdout: String
  var stderr: String

  /// Both streams, for checks that a secret appears in neither.
  var allOutput: String { stdout + stderr }
}

/// Runs the real `release-linker` (or `gitlab-emulator`) binary built next to the test bundle, with a
/// controlled environment and no standard input, as a CI job would.
enum CLIRunner {
  /// The folder holding the built products (`.build/debug`).
  static let productsDirectory: URL = {
    if let override = ProcessInfo.processInfo.environment["RELEASE_LINKER_PRODUCTS"] {
      return URL(fileURLWithPath: override)
    }
    var candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // The test runner lives in `<products>/X.xctest` (Linux) or deeper inside a bundle (macOS).
    for _ in 0..<4 {
      if FileManager.default.fileExists(
        atPath: candidate.appendingPathComponent("release-linker").path)
      {
        return candidate
      }
      candidate = candidate.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent(".build/debug")
  }()

  /// Runs `release-linker` with `arguments`; only `environment` is passed (plus PATH and HOME), so the
  /// machine's own CI variables never leak into a test.
  static func run(
    _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
    executable: String = "release-linker", timeout: TimeInterval = 120
  ) throws -> CLIResult {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent(executable)
    process.arguments = arguments
    var env = environment
    let inherited = ProcessInfo.processInfo.environment
    env["PATH"] = env["PATH"] ?? inherited["PATH"]
    env["HOME"] = env["HOME"] ?? inherited["HOME"]
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes while the process runs, so a large output cannot fill a pipe and stall it.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    DispatchQueue.global().async(group: group) {
      outData = out.fileHandleForReading.readDataToEndOfFile()
    }
    DispatchQueue.global().async(group: group) {
      errData = err.fileHandleForReading.readDataToEndOfFile()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      group.wait()
      throw CLIRunnerError.timedOut(
        arguments: arguments, stderr: String(decoding: errData, as: UTF8.self))
    }
    process.waitUntilExit()
    group.wait()
    return CLIResult(
      status: process.terminationStatus,
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self)
    )
  }
}

enum CLIRunnerError: Error, CustomStringConvertible {
  case timedOut(arguments: [String], stderr: String)

  var description: String {
    switch self {
    case .timedOut(let arguments, let stderr):
      "release-linker \(arguments.joined(separator: " ")) did not finish in time; stderr: \(stderr)"
    }
  }
}
