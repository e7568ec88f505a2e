import Testing

@testable import ReleaseLinkerCore

private func wanted(_ name: String, path: String? = nil) -> DerivedLink {
  DerivedLink(
    asset: Asset(artifactPath: name, size: 1, sha256: nil), name: name,
    url: "https://gitlab.example.com/g/p/-/jobs/1/artifacts/raw/\(name)", directAssetPath: path,
    linkType: .other)
}

private func held(_ id: Int, _ name: String) -> ReleaseLink {
  ReleaseLink(
    id: id, name: name, url: "https://gitlab.example.com/g/p/-/jobs/1/artifacts/raw/\(name)",
    directAssetURL: "https://gitlab.example.com/g/p/-/jobs/1/artifacts/raw/\(name)",
    linkType: .other)
}

/// The names in the order the release page shows them, newest first, after sending `plan`'s waves
/// one after the other.
private func shownNames(_ plan: ReleasePlan) -> [String] {
  var created: [String] = []
  for wave in plan.waves {
    for case .step(let index) in wave where plan.steps[index].action == .create {
      created.append(plan.steps[index].desired?.name ?? "")
    }
  }
  return created.reversed()
}

@Suite struct LinkOrderTests {
  let links = [
    wanted("zeta", path: "/a/zeta"), wanted("Alpha", path: "/c/Alpha"),
    wanted("app-10", path: "/b/app-10"), wanted("app-2", path: "/d/app-2"),
  ]

  @Test func nameShowsTheLinksByNameInByteOrder() {
    let plan = ReleasePlan(desired: links, existing: [], prune: false, order: .name)
    #expect(shownNames(plan) == ["Alpha", "app-10", "app-2", "zeta"])
  }

  @Test func pathShowsTheLinksByDirectAssetPath() {
    let plan = ReleasePlan(desired: links, existing: [], prune: false, order: .path)
    #expect(shownNames(plan) == ["zeta", "app-10", "Alpha", "app-2"])
  }

  @Test func pathFallsBackToTheNameOfALinkWithoutOne() {
    let plan = ReleasePlan(
      desired: [wanted("b"), wanted("c", path: "/a/c"), wanted("a")], existing: [], prune: false,
      order: .path)
    // "/a/c" sorts before "a": a slash comes before every letter.
    #expect(shownNames(plan) == ["c", "a", "b"])
  }

  @Test func inputShowsTheLinksAsGiven() {
    let plan = ReleasePlan(desired: links, existing: [], prune: false, order: .input)
    #expect(shownNames(plan) == ["zeta", "Alpha", "app-10", "app-2"])
  }

  @Test func anOrderSendsOneCreateAtATimeAfterEveryOtherWrite() {
    // Link 1 is renamed (an update), link 2 no asset matches (a delete), two links are new.
    let existing = [held(1, "old-name"), held(2, "stale")]
    var renamed = wanted("renamed")
    renamed.url = existing[0].url
    let plan = ReleasePlan(
      desired: [wanted("b-new"), renamed, wanted("a-new")], existing: existing, prune: true,
      order: .name)
    #expect(plan.waves.count == 3)
    let first = plan.waves[0].map { operation -> PlannedStep.Action in
      guard case .step(let index) = operation else { return .unchanged }
      return plan.steps[index].action
    }
    #expect(Set(first) == [.update, .delete])
    #expect(plan.waves[1...].allSatisfy { $0.count == 1 })
    #expect(shownNames(plan) == ["a-new", "b-new"])
  }

  @Test func noneKeepsTheCreatesTogetherInOneWave() {
    let plan = ReleasePlan(desired: links, existing: [], prune: false, order: .none)
    #expect(plan.waves == [[.step(0), .step(1), .step(2), .step(3)]])
  }
}
