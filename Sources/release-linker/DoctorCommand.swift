import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand {
  /// `release-linker doctor`: what the tool would use, where each value came from, and whether GitLab
  /// answers and lets the token read the release.
  struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Show the resolved configuration and check that GitLab answers and the token can read the release.",
      discussion: """
        Prints every setting with its source (a flag, the variable it came from, or the default), the token's source and kind and how it is sent (never its value), then checks that the API answers and that the token can read the release (GET /projects/:id/releases/:tag_name), which GitLab version the server runs (CI_SERVER_VERSION, else GET /version) and so whether links are sent with direct_asset_path or filepath, whether the token may write the release's links (its role, from GET /projects/:id; a job token's cannot be asked, and doctor says so), and the rate-limit headers GitLab's answers carried. Run it first when a release job fails.

        Examples:
          release-linker doctor
          release-linker doctor --api-url https://gitlab.example.com/api/v4 \\
            --project group/app --tag v1.2.0
          release-linker doctor --verbose

        Exit codes: 0 every check passed; 1 the release or project does not exist; 64 a required setting is missing; 69 GitLab is unreachable; 77 the token was refused or may not write links.
        """)

    @OptionGroup var configurationOptions: ConnectionOptions

    func run() throws {
      try CommandRunner.run { context in
        DoctorJob.run(configuration: configurationOptions.configuration(context), context: context)
      }
    }
  }
}
