import Foundation
import Testing

/// What the README promises a new user (issue 12, "Docs"), checked against the text itself.
@Suite struct ReadmeTests {
  static let readme: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8))
      ?? ""
  }()

  /// The lines of the Markdown table under `heading`.
  private func table(after heading: String) throws -> [Substring] {
    let start = try #require(Self.readme.range(of: heading), "no \(heading)")
    return Self.readme[start.upperBound...].split(separator: "\n").drop { !$0.hasPrefix("|") }
      .prefix { $0.hasPrefix("|") }.map { $0 }
  }

  @Test func theExitCodeTableNamesEveryDataErrorAUserMeets() throws {
    let rows = try table(after: "## Exit codes")
    let dataError = try #require(rows.first { $0.hasPrefix("| 65 ") })
    for cause in ["no assets", "a missing PATH", "not an archive", "outside the root", "collision"]
    {
      #expect(dataError.contains(cause), "exit 65 does not mention \(cause)")
    }
    let usage = try #require(rows.first { $0.hasPrefix("| 64 ") })
    #expect(usage.contains("empty or non-numeric job id"))
  }

  @Test func theCommandsTableDoesNotPromiseOneRequestForList() throws {
    let rows = try table(after: "## Commands")
    let links = try #require(rows.first { $0.contains("links list") })
    #expect(!links.contains("API calls, one request each"))
    #expect(links.contains("`list` follows every page"))
  }

  @Test func howTheTokenFileHeaderIsChosenIsDocumented() throws {
    let rows = try table(after: "## Configuration")
    let token = try #require(rows.first { $0.contains("--token-file") })
    #expect(token.contains("JOB-TOKEN") && token.contains("PRIVATE-TOKEN"))
    #expect(token.contains("equals `CI_JOB_TOKEN`"))
  }
}
