import ArgumentParser
import ReleaseLinkerCore

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  /// A readable table or one line per link.
  case text
  /// Exactly one JSON document on standard output; human messages go to standard error.
  case json
}

/// `--output text|json`, shared by every command that prints a result.
struct OutputOptions: ParsableArguments {
  @Option(name: .shortAndLong, help: "Output format: text or json.")
  var output: OutputFormat = .text

  var isJSON: Bool { output == .json }
}

/// `--link-type`, `--type-rule`: every option naming a link type parses it the one way.
enum LinkTypeArgument {
  static func parse(_ argument: String) throws -> LinkType {
    try ValidationError.from { () throws(UsageError) in try LinkType(argument: argument) }
  }
}
