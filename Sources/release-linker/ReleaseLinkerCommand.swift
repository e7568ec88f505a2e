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
        release-linker publish dist/
        release-linker plan --archive artifacts.zip --prune
        release-linker scan dist/ --output json
        release-linker links list
        release-linker doctor
        release-linker verify --anonymous
      """,
    version: ReleaseLinkerVersion.current,
    subcommands: [Publish.self, Plan.self, Scan.self, Links.self, Doctor.self, Verify.self]
  )
}
