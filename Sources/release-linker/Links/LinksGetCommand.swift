import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct Get: LinksSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Show one link of the release.",
      discussion: """
        Examples:
          release-linker links get 3
          release-linker links get 3 --output json
        """)

    @OptionGroup var link: LinkIDArgument
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    var request: LinksRequest { .get(id: link.linkID) }
  }
}
