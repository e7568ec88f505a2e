import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Delete a link of the release.",
      discussion: """
        Prints the deleted link (GitLab returns it). A link that does not exist ends with exit code 1.

        Examples:
          release-linker links delete 3
          release-linker links delete 3 --output json
        """)

    @Argument(help: "The link's id (as `links list` shows it).")
    var linkID: Int

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
      try CommandRunner.run { context in
        let client = try LinksCommandSupport.client(configurationOptions, context: context)
        let document = try client.deleteDocument(id: linkID)
        if outputOptions.isJSON {
          context.sink.standardOutput(document.json + "\n")
        } else {
          context.sink.standardOutput(
            "Deleted link \(document.value.id) from release '\(client.tag)':\n"
              + LinksCommandSupport.describe(document.value))
        }
        return .success
      }
    }
  }
}
