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
  /// The sanitizers' settings, passed on to every binary a test starts, so that under
  /// `scripts/sanitize.sh` their reports land in its log folder and its suppressions apply.
  static let sanitizerOptions = ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"]

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
  /// machine's own CI variables never leak into a test. With `umask`, the binary runs under that
  /// file mode mask (through `sh`, so the test process's own mask is left alone).
  static func run(
    _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
    executable: String = "release-linker", timeout: TimeInterval = 120, umask: String? = nil
  ) throws -> CLIResult {
    let running = try start(
      arguments, environment: environment, in: directory, executable: executable, umask: umask)
    return try running.wait(timeout: timeout)
  }

  /// Starts `release-linker` like ``run(_:environment:in:executable:timeout:umask:)`` without
  /// waiting for it, for tests that signal it while it runs.
  ///
  /// With `receivingSIGTERM`, the process starts with SIGTERM unblocked: the test runner may block
  /// it, and a blocked signal mask is inherited across `exec`.
  static func start(
    _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
    executable: String = "release-linker", umask: String? = nil, receivingSIGTERM: Bool = false
  ) throws -> RunningCLI {
    let process = Process()
    let binary = productsDirectory.appendingPathComponent(executable)
    if receivingSIGTERM {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments =
        [
          "python3", "-c",
          "import os, signal, sys; signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM]); "
            + "signal.signal(signal.SIGTERM, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
          binary.path,
        ] + arguments
    } else if let umask {
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", binary.path] + arguments
    } else {
      process.executableURL = binary
      process.arguments = arguments
    }
    var env = environment
    let inherited = ProcessInfo.processInfo.environment
    env["PATH"] = env["PATH"] ?? inherited["PATH"]
    env["HOME"] = env["HOME"] ?? inherited["HOME"]
    for name in sanitizerOptions { env[name] = env[name] ?? inherited[name] }
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return RunningCLI(process: process, out: out, err: err, arguments: arguments)
  }
}

/// A `release-linker` process started by ``CLIRunner/start(_:environment:in:executable:umask:)``;
/// its output is read while it runs.
///
/// `@unchecked Sendable`: the two buffers are written by one reader each and read only after
/// `group.wait()`, which orders the accesses.
final class RunningCLI: @unchecked Sendable {
  let process: Process
  let arguments: [String]
  private let group = DispatchGroup()
  private var outData = Data()
  private var errData = Data()

  init(process: Process, out: Pipe, err: Pipe, arguments: [String]) {
    self.process = process
    self.arguments = arguments
    // Read both pipes while the process runs, so a large output cannot fill a pipe and stall it.
    DispatchQueue.global().async(group: group) {
      self.outData = out.fileHandleForReading.readDataToEndOfFile()
    }
    DispatchQueue.global().async(group: group) {
      self.errData = err.fileHandleForReading.readDataToEndOfFile()
    }
  }

  func signal(_ signal: Int32) {
    kill(process.processIdentifier, signal)
  }

  /// Waits for the process to end, at most `timeout` seconds (then it is terminated and this
  /// throws).
  func wait(timeout: TimeInterval = 120) throws -> CLIResult {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
      // SIGKILL, not terminate(): the test runner may block SIGTERM, and children inherit that.
      kill(process.processIdentifier, SIGKILL)
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
