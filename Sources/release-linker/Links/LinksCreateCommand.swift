import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add a link to the release.",
      discussion: """
        GitLab refuses a name, URL or direct asset path that another link of the release already has; its message is shown as it is and the exit code is 1. A create whose answer was lost (a reset or timeout after sending) is not sent again: run `links list` to see whether it landed.

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

    @Option(
      name: .customLong("direct-asset-path"),
      help: "Path of the permanent link under the release, e.g. /binaries/hello.dmg.")
    var directAssetPath: String?

    @Option(
      name: .customLong("link-type"), help: "other, runbook, image or package (default: other).")
    var linkTypeName: String?

    /// The parsed --link-type, checked in `validate()`.
    var linkType: LinkType? { linkTypeName.flatMap(LinkType.init(rawValue:)) }

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
      try LinksCommandSupport.validateLinkType(linkTypeName)
    }

    func run() throws {
      try CommandRunner.run { context in
        let client = try LinksCommandSupport.client(configurationOptions, context: context)
        let fields = LinkFields(
          name: name, url: url, directAssetPath: directAssetPath, linkType: linkType)
        let document = try client.createDocument(fields)
        if outputOptions.isJSON {
          context.sink.standardOutput(document.json + "\n")
        } else {
          context.sink.standardOutput(
            "Created link \(document.value.id) in release '\(client.tag)':\n"
              + LinksCommandSupport.describe(document.value))
        }
        return .success
      }
    }
  }
}
