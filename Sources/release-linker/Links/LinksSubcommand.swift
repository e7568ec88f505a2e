import ArgumentParser
import ReleaseLinkerCore

/// What every `links` subcommand is: the release's connection options, the output format, and the
/// one call it asks the core for. `run()` is the same for all five.
protocol LinksSubcommand: ParsableCommand {
  var connection: ConnectionOptions { get }
  var output: OutputOptions { get }
  /// The call this subcommand makes, from its arguments.
  var request: LinksRequest { get }
}

extension LinksSubcommand {
  func run() throws {
    try CommandRunner.run { context in
      try LinksJob.run(
        request, configuration: connection.configuration(context), json: output.isJSON,
        context: context)
    }
  }
}

/// The `LINK_ID` argument of get, update and delete.
struct LinkIDArgument: ParsableArguments {
  @Argument(help: "The link's id (as `links list` shows it).")
  var linkID: Int
}

/// `--direct-asset-path` and `--link-type`, as create and update take them.
struct LinkPathAndTypeOptions: ParsableArguments {
  @Option(
    name: .customLong("direct-asset-path"),
    help:
      "Path of the permanent link under the release, e.g. /binaries/hello.dmg; checked against GitLab's rules before anything is sent."
  )
  var directAssetPath: String?

  @Option(
    name: .customLong("link-type"),
    help: ArgumentHelp("other, runbook, image or package.", valueName: "type"),
    transform: LinkTypeArgument.parse)
  var linkType: LinkType?
}
