import Testing

@testable import ReleaseLinkerCore

private func desired(_ name: String) -> DerivedLink {
  DerivedLink(
    asset: Asset(artifactPath: "bin/\(name)", size: 1, sha256: nil), name: name,
    url: "https://gitlab.example.com/g/p/-/jobs/688/artifacts/raw/bin/\(name)",
    directAssetPath: "/bin/\(name)", linkType: .other)
}

private func existing(_ id: Int, _ name: String) -> ReleaseLink {
  ReleaseLink(
    id: id, name: name, url: "https://old.example.com/\(name)",
    directAssetURL: "https://gitlab.example.com/g/p/-/releases/v1/downloads/bin/\(name)",
    linkType: .other)
}

@Suite struct PublishTextReportTests {
  let plan = ReleasePlan(
    desired: [desired("new"), desired("moved")],
    existing: [existing(7, "moved"), existing(8, "stale")],
    prune: true)

  @Test func aRunShowsOneLinePerLinkAndWhatHappened() {
    let results = [
      StepResult(status: .done, link: existing(9, "new")),
      StepResult(status: .failed, error: "Url has already been taken", failureKind: .rejected),
      StepResult(status: .done),
    ]
    let outcome = PublishOutcome(plan: plan, results: results, createdRelease: false)
    let text = PublishTextReport(
      outcome: outcome, tag: "v1", dryRun: false, style: .init(enabled: false)
    )
    .text
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 5)
    #expect(
      lines[0].hasPrefix("create ") && lines[0].contains(" new ")
        && lines[0].hasSuffix("https://gitlab.example.com/g/p/-/jobs/688/artifacts/raw/bin/new"))
    #expect(lines[1].hasPrefix("failed to update") && lines[1].contains("moved"))
    #expect(lines[2].trimmingPrefixSpaces == "Url has already been taken")
    #expect(
      lines[3].hasPrefix("delete ") && lines[3].contains(" stale ")
        && lines[3].hasSuffix("https://old.example.com/stale"))
    #expect(lines[4] == "v1: 1 created, 0 updated, 0 unchanged, 1 deleted, 1 failed.")
  }

  @Test func aDryRunSaysWhatWouldHappenAndThatNothingWasSent() {
    let results = plan.steps.map { _ in StepResult(status: .planned) }
    let outcome = PublishOutcome(plan: plan, results: results, createdRelease: true)
    let text = PublishTextReport(
      outcome: outcome, tag: "v1", dryRun: true, style: .init(enabled: false)
    )
    .text
    #expect(text.hasPrefix("would create the release v1\n"))
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[1].hasPrefix("would create ") && lines[1].contains(" new "))
    #expect(lines[3].hasPrefix("would delete ") && lines[3].contains(" stale "))
    #expect(
      text.hasSuffix(
        "Plan for v1: 1 to create, 1 to update, 0 unchanged, 1 to delete (dry run: nothing was sent).\n"
      ))
  }

  @Test func colourOnlyWhenEnabled() {
    let results = plan.steps.map { _ in StepResult(status: .done) }
    let outcome = PublishOutcome(plan: plan, results: results, createdRelease: false)
    let plain = PublishTextReport(
      outcome: outcome, tag: "v1", dryRun: false, style: .init(enabled: false))
    let coloured = PublishTextReport(
      outcome: outcome, tag: "v1", dryRun: false, style: .init(enabled: true))
    #expect(!plain.text.contains("\u{1B}["))
    #expect(coloured.text.contains("\u{1B}[32m"))
  }
}

extension String {
  fileprivate var trimmingPrefixSpaces: String { String(drop(while: { $0 == " " })) }

  @Test func linksKeptUnderPruneSayWhy() throws {
    let project = "https://gitlab.example.com/g/p"
    let existing = [
      ReleaseLink(
        id: 1, name: "win.exe", url: "\(project)/-/jobs/9/artifacts/raw/windows/win.exe",
        directAssetURL: "\(project)/-/releases/v1/downloads/windows/win.exe", linkType: .other),
      ReleaseLink(
        id: 2, name: "Website", url: "https://example.com", directAssetURL: "https://example.com",
        linkType: .other),
    ]
    let scope = try PruneScope(
      patterns: ["/linux/**", "Website"], pruneForeign: false,
      configuration: Configuration(
        input: ConfigurationInput(projectURL: project), environment: Environment([:])))
    let plan = ReleasePlan(desired: [], existing: existing, prune: true, scope: scope)
    let outcome = PublishOutcome(plan: plan, results: [], createdRelease: false)
    func note(dryRun: Bool) -> String? {
      PublishTextReport(outcome: outcome, tag: "v1", dryRun: dryRun, style: .init(enabled: false))
        .keptNote
    }
    #expect(
      note(dryRun: false)
        == "Kept 2 existing links that no asset matches: 1 outside --prune-scope; 1 pointing "
        + "outside this project, which --prune-foreign deletes.")
    #expect(
      note(dryRun: true)?.hasPrefix("2 existing links that no asset matches would be kept: ")
        == true)
    let unpruned = PublishOutcome(
      plan: ReleasePlan(desired: [], existing: existing, prune: false), results: [],
      createdRelease: false)
    #expect(
      PublishTextReport(outcome: unpruned, tag: "v1", dryRun: false, style: .init(enabled: false))
        .keptNote == "Kept 2 existing links that no asset matches; --prune deletes them.")
  }
}
