import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand {
  /// `release-linker links …`: the five Release Links API calls, one subcommand each
  /// (`Links/LinksCommands.swift`, all run the same way: `Links/LinksSubcommand.swift`).
  struct Links: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "links",
      abstract: "List, get, create, update or delete the links of one release (Release Links API).",
      discussion: """
        Each subcommand is one call of GitLab's Release Links API on the release named by --tag (default $CI_COMMIT_TAG) in the project named by --project (default $CI_PROJECT_ID, else $CI_PROJECT_PATH); list follows every page of its answer. The token comes from --token-file, else GITLAB_TOKEN, else CI_JOB_TOKEN, and is sent as its kind requires: a job token (glcbt-…, or equal to CI_JOB_TOKEN) as JOB-TOKEN, an access token as PRIVATE-TOKEN, an OAuth token as Authorization: Bearer.

        By default the result is a readable table; --output json prints GitLab's own JSON (for list, one array holding every page).

        Examples:
          release-linker links list --project 24 --tag v0.1
          release-linker links get 3 --output json
          release-linker links create --name hello.deb \\
            --url https://example.com/hello.deb --link-type package
          release-linker links update 3 --name hello-1.0.deb
          release-linker links delete 3

        Exit codes: 0 done; 1 the release or link does not exist, or GitLab refused the values; 64 a missing or bad setting; 69 GitLab unreachable or failing; 77 the token was refused.
        """,
      subcommands: [List.self, Get.self, Create.self, Update.self, Delete.self]
    )
  }
}
