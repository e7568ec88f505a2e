import ArgumentParser
import ReleaseLinkerCore

/// The options `publish` and `plan` share about the release and the reports.
struct ReleaseOptionGroup: ParsableArguments {
  @Flag(help: "Delete the release's links that no asset matches.")
  var prune = false

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
