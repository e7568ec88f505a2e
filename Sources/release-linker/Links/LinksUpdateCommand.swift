import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct Update: LinksSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Change a link of the release.",
      discussion: """
        Fields not given keep their values: the link is read first so that its type is sent along (GitLab may otherwise reset it to other).

        Examples:
          release-linker links update 3 --name hello-1.0.deb
          release-linker links update 3 --url https://example.com/hello-1.0.deb \\
            --link-type package
          release-linker links update 3 --direct-asset-path /bin/hello-1.0.deb -o json
        """)

    @OptionGroup var link: LinkIDArgument

    @Option(help: "The new name.")
    var name: String?

    @Option(help: "The new URL.")
    var url: String?

    @OptionGroup var fields: LinkPathAndTypeOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
      if name == nil && url == nil && fields.directAssetPath == nil && fields.linkType == nil {
        throw ValidationError(
          "Nothing to change: give at least one of --name, --url, --direct-asset-path, --link-type."
        )
      }
    }

    var request: LinksRequest {
      .update(
        id: link.linkID,
        LinkFields(
          name: name, url: url, directAssetPath: fields.directAssetPath,
          linkType: fields.linkType))
    }
  }
}
