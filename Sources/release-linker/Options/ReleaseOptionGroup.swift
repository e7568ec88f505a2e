import ArgumentParser
import ReleaseLinkerCore

/// The options `publish` and `plan` share about the release and the reports.
struct ReleaseOptionGroup: ParsableArguments {
  @Option(
    name: .customLong("manifest"),
    help: ArgumentHelp(
      "Links a build job wrote with `scan --manifest FILE`; GLOB is expanded by release-linker and must match a file. Merged with the PATHs and archives, checked for collisions together. Repeatable.",
      valueName: "glob"))
  var manifests: [String] = []

  @Flag(
    help:
      "Delete the release's links that no asset matches (only those pointing into this project, unless --prune-foreign)."
  )
  var prune = false

  @Option(
    name: .customLong("prune-scope"),
    help: ArgumentHelp(
      "With --prune, delete only links whose direct_asset_path (else name) matches this glob, e.g. '/linux/**'; other publishers' links stay. Repeatable.",
      valueName: "glob"))
  var pruneScope: [String] = []

  @Flag(
    name: .customLong("prune-foreign"),
    help: "With --prune, also delete links whose URL points outside this project (hand-made links)."
  )
  var pruneForeign = false

  @Option(
    help: ArgumentHelp(
      "The order the release page shows the links this run creates in: name, path, input or none (default: none, created in parallel). Any other creates them one at a time.",
      valueName: "order"),
    transform: ReleaseOptionGroup.order)
  var order: LinkOrder = .none

  @Flag(
    name: .customLong("create-release"),
    help: "Create the release first when the tag has none (a concurrent creator is fine).")
  var createRelease = false

  @Option(
    name: .customLong("release-name"),
    help: "Name of a release --create-release creates (default: the tag).")
  var releaseName: String?

  @Option(
    name: .customLong("release-notes"),
    help: ArgumentHelp(
      "Description of a release --create-release creates, read from FILE.", valueName: "FILE"))
  var releaseNotes: String?

  @Option(help: ArgumentHelp("Write the JSON report to FILE as well.", valueName: "FILE"))
  var report: String?

  @Option(
    help: ArgumentHelp(
      "Write a GitLab dotenv report (artifacts:reports:dotenv) to FILE.", valueName: "FILE"))
  var dotenv: String?

  @Option(parsing: .unconditional, help: "Requests in flight at once (default: 4).")
  var concurrency: Int?

  @Flag(name: .shortAndLong, help: "Print only the links that failed, and the summary.")
  var quiet = false
}

extension ReleaseOptionGroup {
  mutating func validate() throws {
    if !prune && !pruneScope.isEmpty {
      throw ValidationError(
        "--prune-scope limits --prune: add --prune, or leave --prune-scope out.")
    }
    if !prune && pruneForeign {
      throw ValidationError(
        "--prune-foreign widens --prune: add --prune, or leave --prune-foreign out.")
    }
  }

  static func order(_ argument: String) throws -> LinkOrder {
    guard let order = LinkOrder(rawValue: argument) else {
      throw ValidationError(
        "'\(argument)' is not an order; use one of: "
          + LinkOrder.allCases.map(\.rawValue).joined(separator: ", ") + ".")
    }
    return order
  }
}
