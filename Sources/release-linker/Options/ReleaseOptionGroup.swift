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
    help:
      "Create the release first when the tag has none, with its links in the same request (a concurrent creator is fine)."
  )
  var createRelease = false

  @Flag(
    name: .customLong("update-release"),
    help:
      "Keep an existing release's name, notes, milestones and release date as the options below say; nothing is sent when they match."
  )
  var updateRelease = false

  @Option(
    name: .customLong("release-name"),
    help: "The release's name (a created release defaults to the tag).")
  var releaseName: String?

  @Option(
    name: .customLong("release-notes"),
    help: ArgumentHelp("The release's notes (its description), read from FILE.", valueName: "FILE"))
  var releaseNotes: String?

  @Option(
    name: .customLong("notes-mode"),
    help: ArgumentHelp(
      "How the notes go into the description: replace (the default), append or prepend (one marked block after or before what people wrote, replaced on each run), or keep (never change an existing description).",
      valueName: "mode"),
    transform: ReleaseOptionGroup.notesMode)
  var notesMode: NotesMode?

  @Option(
    name: .customLong("milestone"),
    help: ArgumentHelp(
      "A milestone the release belongs to, by title (it must exist). Repeatable.",
      valueName: "title"))
  var milestones: [String] = []

  @Option(
    name: .customLong("released-at"),
    help: ArgumentHelp(
      "When the release is (or was) ready, ISO 8601, e.g. 2026-03-15T08:00:00Z.",
      valueName: "date"))
  var releasedAt: String?

  @Option(
    help: ArgumentHelp(
      "For a tag that does not exist yet: the branch, tag or commit --create-release creates it from.",
      valueName: "ref"))
  var ref: String?

  @Option(
    name: .customLong("tag-message"),
    help: ArgumentHelp(
      "The message of a tag created from --ref (an annotated tag).", valueName: "text"))
  var tagMessage: String?

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

  static func notesMode(_ argument: String) throws -> NotesMode {
    guard let mode = NotesMode(rawValue: argument) else {
      throw ValidationError(
        "--notes-mode must be one of "
          + NotesMode.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(argument)'.")
    }
    return mode
  }
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
