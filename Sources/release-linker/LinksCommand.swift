import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand {
  /// `release-linker links …`: the five Release Links API calls, one subcommand each.
  struct Links: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "links",
      abstract: "List, get, create, update or delete the links of one release (Release Links API).",
      discussion: """
        Each subcommand is one call of GitLab's Release Links API on the release named by --tag (default $CI_COMMIT_TAG) in the project named by --project (default $CI_PROJECT_ID, else $CI_PROJECT_PATH). The token comes from --token-file, else GITLAB_TOKEN, else CI_JOB_TOKEN, and is sent as its kind requires: a job token (glcbt-…, or equal to CI_JOB_TOKEN) as JOB-TOKEN, an access token as PRIVATE-TOKEN, an OAuth token as Authorization: Bearer.

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

/// What every `links` subcommand resolves before its call.
enum LinksCommandSupport {
  static func client(_ options: ConfigurationOptions, context: Context) throws
    -> ReleaseLinksClient
  {
    let configuration = options.configuration(context)
    let project = try configuration.project().value
    let tag = try configuration.tag().value
    let connection = try GitLabConnection.make(configuration: configuration, context: context)
    return ReleaseLinksClient(connection: connection, project: project, tag: tag)
  }

  /// One link as labelled lines.
  static func describe(_ link: ReleaseLink) -> String {
    var rows = [
      ("id", String(link.id)), ("name", link.name), ("url", link.url),
      ("link_type", link.linkType.rawValue),
      ("direct_asset_url", link.directAssetURL),
    ]
    if let path = link.directAssetPath { rows.append(("direct_asset_path", path)) }
    let width = rows.map(\.0.count).max() ?? 0
    return rows.map { label, value in
      label + ":" + String(repeating: " ", count: width - label.count + 2) + value + "\n"
    }.joined()
  }

  /// Links as a table with a header row.
  static func table(_ links: [ReleaseLink]) -> String {
    let header = ["ID", "NAME", "TYPE", "DIRECT ASSET PATH", "URL"]
    let rows = links.map { link in
      [String(link.id), link.name, link.linkType.rawValue, link.directAssetPath ?? "-", link.url]
    }
    var widths = header.map(\.count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      var text = ""
      for (column, cell) in cells.enumerated() {
        if column == cells.count - 1 {
          text += cell
        } else {
          text += cell + String(repeating: " ", count: widths[column] - cell.count + 2)
        }
      }
      return text + "\n"
    }
    return line(header) + rows.map(line).joined()
  }
}

extension LinksCommandSupport {
  /// Refuses a `--link-type` GitLab does not know, before any request.
  static func validateLinkType(_ name: String?) throws {
    if let name, LinkType(rawValue: name) == nil {
      let known = LinkType.allCases.map(\.rawValue).joined(separator: ", ")
      throw ValidationError("--link-type must be one of \(known), not '\(name)'.")
    }
  }
}
