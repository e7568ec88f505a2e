import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct Delete: LinksSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Delete a link of the release.",
      discussion: """
        Prints the deleted link (GitLab returns it). A link that does not exist ends with exit code 1.

        Examples:
          release-linker links delete 3
          release-linker links delete 3 --output json
        """)

    @OptionGroup var link: LinkIDArgument
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    var request: LinksRequest { .delete(id: link.linkID) }
  }
}
