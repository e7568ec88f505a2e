import ArgumentParser
import FoundationEssentials
import ReleaseLinkerCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

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
    // libarchive converts every entry's timestamp with the C time functions; with TZ unset glibc
    // re-reads /etc/localtime on each call, which dominated scanning archives of many small files.
    // Naming the same default explicitly lets it keep what it loaded.
    setenv("TZ", ":/etc/localtime", 0)
    // A reader that goes away (`release-linker publish | head`) must not kill a run halfway through
    // its writes: output simply stops, and the release still ends as planned.
    signal(SIGPIPE, SIG_IGN)
    let context = context()
    let status: ExitStatus
    do {
      status = try body(context)
    } catch let error as any ReleaseLinkerError {
      context.sink.standardError(ErrorText.render(error))
      status = error.exitStatus
    }
    if status != .success {
      throw ExitCode(status.rawValue)
    }
  }
}
