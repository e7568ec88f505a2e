import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct List: LinksSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "List every link of the release (all pages).",
      discussion: """
        Follows GitLab's pagination (100 links per page, one request each) to the end. The table fits the terminal (COLUMNS, else 80 columns when not a terminal): long values are cut in the middle. With --output json, prints one JSON array of every link exactly as GitLab returned them.

        Examples:
          release-linker links list
          release-linker links list --project group/sub/project \\
            --tag release/v1.0+build.5
          release-linker links list --output json | jq -r '.[].name'
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    var request: LinksRequest { .list }
  }
}
