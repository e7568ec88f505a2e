import ArgumentParser
import FoundationEssentials
import ReleaseLinkerCore

/// The one place where the core's errors become a message on standard error and an exit code.
enum CommandRunner {
  static func context() -> Context {
    Context(
      environment: Environment(ProcessInfo.processInfo.environment),
      sink: StandardStreamsSink(),
      currentDirectory: FileManager.default.currentDirectoryPath
    )
  }

  /// Runs `body` with a fresh context; maps thrown errors to `error: <sentence>` and the exit code.
  static func run(_ body: (Context) throws -> ExitStatus) throws {
    let context = context()
    let status: ExitStatus
    do {
      status = try body(context)
    } catch let error as any ReleaseLinkerError {
      context.sink.standardError("error: \(error.message)\n")
      status = error.exitStatus
    }
    if status != .success {
      throw ExitCode(status.rawValue)
    }
  }
}
