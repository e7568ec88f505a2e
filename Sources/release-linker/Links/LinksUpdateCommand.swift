import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct Update: ParsableCommand {
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

    @Argument(help: "The link's id (as `links list` shows it).")
    var linkID: Int

    @Option(help: "The new name.")
    var name: String?

    @Option(help: "The new URL.")
    var url: String?

    @Option(name: .customLong("direct-asset-path"), help: "The new direct asset path.")
    var directAssetPath: String?

    @Option(name: .customLong("link-type"), help: "The new type: other, runbook, image or package.")
    var linkTypeName: String?

    /// The parsed --link-type, checked in `validate()`.
    var linkType: LinkType? { linkTypeName.flatMap(LinkType.init(rawValue:)) }

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
      try LinksCommandSupport.validateLinkType(linkTypeName)
      if name == nil && url == nil && directAssetPath == nil && linkTypeName == nil {
        throw ValidationError(
          "Nothing to change: give at least one of --name, --url, --direct-asset-path, --link-type."
        )
      }
    }

    func run() throws {
      try CommandRunner.run { context in
        let client = try LinksCommandSupport.client(configurationOptions, context: context)
        let document = try LinksJob.update(
          id: linkID,
          LinkFields(name: name, url: url, directAssetPath: directAssetPath, linkType: linkType),
          client: client)
        if outputOptions.isJSON {
          context.sink.standardOutput(document.json + "\n")
        } else {
          context.sink.standardOutput(
            "Updated link \(document.value.id) in release '\(client.tag)':\n"
              + LinksCommandSupport.describe(document.value))
        }
        return .success
      }
    }
  }
}
