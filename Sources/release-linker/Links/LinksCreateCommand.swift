import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct Create: LinksSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Add a link to the release.",
      discussion: """
        GitLab refuses a name, URL or direct asset path that another link of the release already has; its message is shown as it is and the exit code is 1. A direct asset path GitLab would refuse is refused before sending, naming the rule it breaks (exit 64). A create whose answer was lost (a reset or timeout after sending) is not sent again: run `links list` to see whether it landed. The type defaults to other.

        Examples:
          release-linker links create --name hello-amd64.deb \\
            --url https://gitlab.example.com/g/hello/-/jobs/688/artifacts/raw/hello.deb
          release-linker links create --name Runbook \\
            --url https://docs.example.com/runbook --link-type runbook
          release-linker links create --name hello.dmg \\
            --url https://example.com/hello.dmg \\
            --direct-asset-path /binaries/hello.dmg --output json
        """)

    @Option(help: "The link's name, unique in the release.")
    var name: String

    @Option(help: "The URL the link points at, unique in the release.")
    var url: String

    @OptionGroup var fields: LinkPathAndTypeOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    var request: LinksRequest {
      .create(
        LinkFields(
          name: name, url: url, directAssetPath: fields.directAssetPath,
          linkType: fields.linkType))
    }
  }
}
