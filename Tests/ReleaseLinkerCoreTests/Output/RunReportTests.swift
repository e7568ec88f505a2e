import Foundation
import Testing

@testable import ReleaseLinkerCore

@Suite struct RunReportTests {
  private let link = DerivedLink(
    asset: Asset(artifactPath: "bin/hello \"q\"\n", size: 1_048_576, sha256: "ab"),
    name: "hello-darwin-amd64",
    url: "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/bin/hello",
    directAssetPath: "/bin/hello", linkType: .package)

  @Test func scanReportHasTheDocumentedKeysInOrder() throws {
    let text = RunReport(scanned: [link], project: "20", tag: nil).jsonText()
    let keys = [
      "\"project\"", "\"tag\"", "\"dry_run\"", "\"links\"", "\"action\"", "\"status\"", "\"name\"",
      "\"url\"", "\"direct_asset_path\"", "\"link_type\"", "\"id\"", "\"direct_asset_url\"",
      "\"artifact_path\"", "\"size\"", "\"sha256\"", "\"error\"", "\"summary\"", "\"create\"",
      "\"update\"", "\"unchanged\"", "\"delete\"", "\"failed\"",
    ]
    var cursor = text.startIndex
    for key in keys {
      let range = try #require(text[cursor...].range(of: key), "\(key) missing or out of order")
      cursor = range.upperBound
    }
    let object = try #require(
      JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["project"] as? String == "20")
    #expect(object["tag"] is NSNull)
    #expect(object["dry_run"] as? Bool == true)
    let links = try #require(object["links"] as? [[String: Any]])
    #expect(links.count == 1)
    #expect(links[0]["action"] as? String == "create")
    #expect(links[0]["status"] as? String == "planned")
    #expect(links[0]["artifact_path"] as? String == "bin/hello \"q\"\n")
    #expect(links[0]["size"] as? Int == 1_048_576)
    #expect(links[0]["link_type"] as? String == "package")
    #expect(links[0]["id"] is NSNull)
    #expect(links[0]["error"] is NSNull)
    let summary = try #require(object["summary"] as? [String: Int])
    #expect(summary == ["create": 1, "update": 0, "unchanged": 0, "delete": 0, "failed": 0])
  }

  @Test func outcomeReportCarriesServerIDsAndErrors() throws {
    let existing = ReleaseLink(
      id: 7, name: "old", url: "https://x/old", directAssetURL: "https://x/old", linkType: .other)
    let created = ReleaseLink(
      id: 9, name: link.name, url: link.url,
      directAssetURL:
        "https://gitlab.example.com/mynamespace/hello/-/releases/v1/downloads/bin/hello",
      linkType: .package)
    let plan = ReleasePlan(desired: [link], existing: [existing], prune: true)
    let results = plan.steps.map { step -> StepResult in
      step.action == .create
        ? StepResult(status: .done, link: created)
        : StepResult(status: .failed, error: "403 Forbidden")
    }
    let outcome = PublishOutcome(plan: plan, results: results, createdRelease: false)
    let text = RunReport(outcome: outcome, project: "g/p", tag: "v1", dryRun: false).jsonText()
    let object = try #require(
      JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["dry_run"] as? Bool == false)
    let links = try #require(object["links"] as? [[String: Any]])
    let create = try #require(links.first { $0["action"] as? String == "create" })
    #expect(create["id"] as? Int == 9)
    #expect(create["status"] as? String == "done")
    #expect(create["direct_asset_url"] as? String == created.directAssetURL)
    let delete = try #require(links.first { $0["action"] as? String == "delete" })
    #expect(delete["id"] as? Int == 7)
    #expect(delete["name"] as? String == "old")
    #expect(delete["status"] as? String == "failed")
    #expect(delete["error"] as? String == "403 Forbidden")
    #expect(delete["artifact_path"] is NSNull)
    let summary = try #require(object["summary"] as? [String: Int])
    // Each link counted once: the failed deletion under "failed", not "delete".
    #expect(summary == ["create": 1, "update": 0, "unchanged": 0, "delete": 0, "failed": 1])
  }
}
