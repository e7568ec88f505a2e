import Foundation

/// The built `gitlab-emulator` executable, started as a separate process the way a developer or a
/// benchmark starts it.
final class EmulatorProcess {
  /// The folder holding the built products (`.build/debug`), found next to the test runner.
  static let productsDirectory: URL = {
    if let override = ProcessInfo.processInfo.environment["RELEASE_LINKER_PRODUCTS"] {
      return URL(fileURLWithPath: override)
    }
    var candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      if FileManager.default.fileExists(
        atPath: candidate.appendingPathComponent("gitlab-emulator").path)
      {
        return candidate
      }
      candidate = candidate.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/debug")
  }()

  let process = Process()
  private let output = Pipe()
  private let errors = Pipe()
  /// The first line the emulator printed.
  private(set) var firstLine = ""

  init(_ arguments: [String], environment: [String: String] = [:]) throws {
    process.executableURL = EmulatorProcess.productsDirectory.appendingPathComponent(
      "gitlab-emulator")
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Never wait forever for the first line.
    let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
    defer { watchdog.cancel() }
    var line: [UInt8] = []
    let reader = output.fileHandleForReading
    while true {
      let byte = reader.readData(ofLength: 1)
      guard let value = byte.first, value != 10 else { break }
      line.append(value)
    }
    firstLine = String(decoding: line, as: UTF8.self)
  }

  /// `http://127.0.0.1:PORT`, from the first line.
  var baseURL: String {
    firstLine.hasPrefix("listening on ") ? String(firstLine.dropFirst("listening on ".count)) : ""
  }

  /// Sends `signal` and waits for the exit status.
  func stop(signal: Int32 = SIGTERM) -> Int32 {
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Sends SIGTERM, waits for the exit, and returns its status and what it wrote on stderr.
  func stopReadingErrors() -> (status: Int32, stderr: String) {
    kill(process.processIdentifier, SIGTERM)
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  deinit {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
  }

  /// Runs the executable to its end (for arguments it refuses) and returns status and stderr.
  static func runToEnd(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent("gitlab-emulator")
    process.arguments = arguments
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }
}
