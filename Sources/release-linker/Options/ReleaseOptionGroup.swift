import ArgumentParser

/// The options `publish` and `plan` share about the release and the reports.
struct ReleaseOptionGroup: ParsableArguments {
  @Flag(help: "Delete the release's links that no asset matches.")
  var prune = false

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
