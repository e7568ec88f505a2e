import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show one link of the release.",
      discussion: """
        Examples:
          release-linker links get 3
          release-linker links get 3 --output json
        """)

    @Argument(help: "The link's id (as `links list` shows it).")
    var linkID: Int

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
      try CommandRunner.run { context in
        let client = try LinksCommandSupport.client(configurationOptions, context: context)
        let document = try client.getDocument(id: linkID)
        context.sink.standardOutput(
          outputOptions.isJSON ? document.json + "\n" : LinksCommandSupport.describe(document.value)
        )
        return .success
      }
    }
  }
}
