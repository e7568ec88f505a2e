import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand.Links {
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List every link of the release (all pages).",
      discussion: """
        Follows GitLab's pagination (100 links per page) to the end. With --output json, prints one JSON array of every link exactly as GitLab returned them.

        Examples:
          release-linker links list
          release-linker links list --project group/sub/project \\
            --tag release/v1.0+build.5
          release-linker links list --output json | jq -r '.[].name'
        """)

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
      try CommandRunner.run { context in
        let client = try LinksCommandSupport.client(configurationOptions, context: context)
        let document = try client.listDocument()
        if outputOptions.isJSON {
          context.sink.standardOutput(document.json + "\n")
        } else if document.value.isEmpty {
          context.sink.standardOutput("The release '\(client.tag)' has no links.\n")
        } else {
          let count = document.value.count
          context.sink.standardOutput(
            LinksCommandSupport.table(document.value)
              + "\(count) link\(count == 1 ? "" : "s") in release '\(client.tag)'.\n")
        }
        return .success
      }
    }
  }
}
