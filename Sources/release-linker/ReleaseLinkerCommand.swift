import ArgumentParser
import ReleaseLinkerCore

@main
struct ReleaseLinkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "release-linker",
    abstract: "Register one GitLab release link per build artifact, idempotently.",
    discussion: """
      Runs inside a GitLab CI release job: scans the artifacts (directories or archives), derives a \
      release link per asset and reconciles the release's links through the Release Links API with the \
      job token. Re-running a job never duplicates a link.

      Examples:
        release-linker publish dist/ --job-id "$BUILD_JOB_ID"
        release-linker plan --artifacts-job "$BUILD_JOB_ID" --prune
        release-linker scan dist/ --output json
        release-linker links list
        release-linker doctor
        release-linker verify --anonymous
      """,
    version: ReleaseLinkerVersion.current,
    subcommands: [Publish.self, Plan.self, Scan.self, Links.self, Doctor.self, Verify.self]
  )

  /// ArgumentParser's entry point, after a mistyped command has been named with its nearest match.
  static func main() {
    if let problem = CommandSuggestion.problem(in: Array(CommandLine.arguments.dropFirst())) {
      CommandRunner.context().sink.standardError("error: \(problem)\n")
      exit(withError: ExitCode(ExitStatus.usage.rawValue))
    }
    main(nil)
  }
}
