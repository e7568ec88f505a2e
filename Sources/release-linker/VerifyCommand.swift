import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand {
  /// `release-linker verify`: does every link of the release download?
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Fetch every link of the release as a person would, and report those that do not download.",
      discussion: """
        Lists the release's links and fetches each one's direct_asset_url the way a browser following \
        it would: HEAD, and a GET of its first byte when HEAD is not answered with success; redirects \
        are followed, and the token goes only to GitLab's own host, never across a redirect to another \
        one. Each link is reported as ok or with what it answered (404, sign-in required, …). \
        --anonymous sends no token at all, to see what the public sees of a public project.

        Examples:
          release-linker verify
          release-linker verify --anonymous --output json
          release-linker publish dist/ --upload generic --verify

        Exit codes: 0 every link downloads; 1 some link does not, or the release does not exist; 64 a required setting is missing; 69 GitLab is unreachable; 77 the token was refused.
        """)

    @Flag(help: "Send no token: check what anyone may download (public projects).")
    var anonymous = false

    @Option(parsing: .unconditional, help: "Links fetched at once (default: 4).")
    var concurrency: Int?

    @OptionGroup var settings: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      try CommandRunner.run { context in
        var input = ConfigurationInput()
        settings.apply(to: &input)
        input.concurrency = concurrency
        return try VerifyJob.run(
          anonymous: anonymous, json: output.isJSON,
          configuration: Configuration(input: input, environment: context.environment),
          context: context)
      }
    }
  }
}
