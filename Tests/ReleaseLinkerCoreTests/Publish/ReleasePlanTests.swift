import Testing

@testable import ReleaseLinkerCore

private func desired(
  _ name: String, path: String? = nil, url: String? = nil, type: LinkType = .other
) -> DerivedLink {
  let artifact = path.map { String($0.dropFirst()) } ?? name
  return DerivedLink(
    asset: Asset(artifactPath: artifact, size: 1, sha256: nil), name: name,
    url: url ?? "https://gitlab.example.com/g/p/-/jobs/1/artifacts/raw/\(artifact)",
    directAssetPath: path, linkType: type)
}

private func existing(
  _ id: Int, _ name: String, path: String? = nil, url: String? = nil, type: LinkType = .other
) -> ReleaseLink {
  let artifact = path.map { String($0.dropFirst()) } ?? name
  let url = url ?? "https://gitlab.example.com/g/p/-/jobs/1/artifacts/raw/\(artifact)"
  let direct = path.map { "https://gitlab.example.com/g/p/-/releases/v1/downloads\($0)" } ?? url
  return ReleaseLink(id: id, name: name, url: url, directAssetURL: direct, linkType: type)
}

/// Applies a plan's writes wave by wave to a model of the release that enforces GitLab's uniqueness
/// rules, so the ordering is checked by its effect rather than by its shape.
private func apply(_ plan: ReleasePlan, to links: [ReleaseLink]) throws -> [ReleaseLink] {
  var state = links
  var nextID = (links.map(\.id).max() ?? 0) + 1
  func check(_ link: ReleaseLink, replacing id: Int?) throws {
    for other in state where other.id != id {
      if other.name == link.name || other.url == link.url
        || (link.directAssetPath != nil && other.directAssetPath == link.directAssetPath)
      {
        throw ModelError.taken(link.name)
      }
    }
  }
  func make(_ id: Int, _ fields: LinkFields, keeping old: ReleaseLink?) -> ReleaseLink {
    let path = fields.directAssetPath ?? old?.directAssetPath
    let url = fields.url ?? old?.url ?? ""
    return ReleaseLink(
      id: id, name: fields.name ?? old?.name ?? "", url: url,
      directAssetURL: path.map { "https://gitlab.example.com/g/p/-/releases/v1/downloads\($0)" }
        ?? url, linkType: fields.linkType ?? .other)
  }
  for wave in plan.waves {
    let before = state
    var after = state
    for operation in wave {
      state = before  // writes of one wave must not rely on each other
      switch operation {
      case .park(let index):
        let old = try #require(plan.steps[index].existing)
        let parked = make(
          old.id,
          LinkFields(
            name: "parked-\(old.id)", url: "https://parked/\(old.id)",
            directAssetPath: "/parked-\(old.id)", linkType: old.linkType), keeping: old)
        try check(parked, replacing: old.id)
        after = after.map { $0.id == old.id ? parked : $0 }
      case .step(let index):
        let step = plan.steps[index]
        switch step.action {
        case .create:
          let link = make(nextID, try #require(step.fields), keeping: nil)
          nextID += 1
          try check(link, replacing: nil)
          after.append(link)
        case .update:
          let old = try #require(step.existing)
          let link = make(old.id, try #require(step.fields), keeping: old)
          try check(link, replacing: old.id)
          after = after.map { $0.id == old.id ? link : $0 }
        case .delete:
          let old = try #require(step.existing)
          after.removeAll { $0.id == old.id }
        case .unchanged:
          Issue.record("an unchanged step was scheduled as a write")
        }
      }
    }
    state = after
  }
  return state
}

private enum ModelError: Error { case taken(String) }

@Suite struct ReleasePlanTests {
  @Test func emptyReleaseCreatesEveryLinkInOneWave() {
    let plan = ReleasePlan(
      desired: [desired("a", path: "/bin/a"), desired("b", path: "/bin/b")], existing: [],
      prune: false)
    #expect(plan.steps.map(\.action) == [.create, .create])
    #expect(plan.waves == [[.step(0), .step(1)]])
  }

  @Test func identicalLinksSendNothing() {
    let plan = ReleasePlan(
      desired: [desired("a", path: "/bin/a")], existing: [existing(7, "a", path: "/bin/a")],
      prune: true)
    #expect(plan.steps.map(\.action) == [.unchanged])
    #expect(plan.waves.isEmpty)
  }

  @Test func matchesByPathThenNameThenURL() {
    let plan = ReleasePlan(
      desired: [
        desired("renamed", path: "/bin/a"),
        desired("b", path: "/bin/b-new"),
        desired("c-new", path: "/bin/c", url: "https://x/c"),
      ],
      existing: [
        existing(1, "a", path: "/bin/a"),
        existing(2, "b", path: "/bin/b"),
        existing(3, "c-old", url: "https://x/c"),
      ],
      prune: false)
    #expect(plan.steps.map(\.action) == [.update, .update, .update])
    #expect(plan.steps.map { $0.existing?.id } == [1, 2, 3])
  }

  @Test func aChangedLinkTypeIsAnUpdate() {
    let plan = ReleasePlan(
      desired: [desired("a.deb", path: "/a.deb", type: .package)],
      existing: [existing(1, "a.deb", path: "/a.deb")], prune: false)
    #expect(plan.steps.map(\.action) == [.update])
    #expect(plan.steps[0].fields?.linkType == .package)
  }

  @Test func unmatchedLinksAreKeptOrPruned() {
    let links = [existing(1, "old", path: "/old")]
    let kept = ReleasePlan(desired: [desired("new", path: "/new")], existing: links, prune: false)
    #expect(kept.steps.map(\.action) == [.create])
    let pruned = ReleasePlan(desired: [desired("new", path: "/new")], existing: links, prune: true)
    #expect(pruned.steps.map(\.action) == [.create, .delete])
    #expect(pruned.steps[1].existing?.id == 1)
  }

  @Test func aRenameIntoAFreedNameWaitsForTheFreeingUpdate() throws {
    // Link 1 (/a) gives up the name "x" that link 2 (/b) takes.
    let links = [existing(1, "x", path: "/a"), existing(2, "y", path: "/b")]
    let plan = ReleasePlan(
      desired: [desired("z", path: "/a"), desired("x", path: "/b")], existing: links,
      prune: false)
    #expect(plan.waves == [[.step(0)], [.step(1)]])
    let end = try apply(plan, to: links)
    #expect(Set(end.map(\.name)) == ["z", "x"])
  }

  @Test func aSwapOfNamesParksOneLinkFirst() throws {
    let links = [existing(1, "x", path: "/a"), existing(2, "y", path: "/b")]
    let plan = ReleasePlan(
      desired: [desired("y", path: "/a"), desired("x", path: "/b")], existing: links,
      prune: false)
    // Park link 1, give "x" to link 2, then "y" to link 1: three writes, one after the other.
    #expect(plan.waves.count == 3)
    #expect(plan.waves[0].contains { if case .park = $0 { true } else { false } })
    let end = try apply(plan, to: links)
    #expect(end.first { $0.id == 1 }?.name == "y")
    #expect(end.first { $0.id == 2 }?.name == "x")
  }

  @Test func aThreeWayRotationEndsInTheDesiredState() throws {
    let links = [
      existing(1, "x", path: "/a"), existing(2, "y", path: "/b"), existing(3, "z", path: "/c"),
    ]
    let plan = ReleasePlan(
      desired: [desired("y", path: "/a"), desired("z", path: "/b"), desired("x", path: "/c")],
      existing: links, prune: false)
    let end = try apply(plan, to: links)
    #expect(end.sorted { $0.id < $1.id }.map(\.name) == ["y", "z", "x"])
  }

  @Test func aCreateTakingAPrunedLinksNameWaitsForTheDeletion() throws {
    let links = [existing(1, "x", path: "/old")]
    let plan = ReleasePlan(
      desired: [desired("x", path: "/new", url: "https://x/new")], existing: links, prune: true)
    // "x" matches by name, so this is an update, not a create plus a delete.
    #expect(plan.steps.map(\.action) == [.update])
    let end = try apply(plan, to: links)
    #expect(end.map(\.directAssetPath) == ["/new"])
  }

  @Test func aValueHeldByAKeptLinkIsAConflictNotARequest() {
    let links = [existing(1, "x", path: "/a"), existing(2, "shared", path: "/zzz")]
    let plan = ReleasePlan(
      desired: [desired("shared", path: "/a")], existing: links, prune: false)
    #expect(plan.steps[0].action == .update)
    #expect(plan.steps[0].conflict?.contains("--prune") == true)
    #expect(plan.waves.isEmpty)
  }

  @Test func withoutAPathTheServersPathIsLeftAlone() {
    let plan = ReleasePlan(
      desired: [desired("a", path: nil, url: "https://x/a")],
      existing: [existing(1, "a", path: "/bin/a", url: "https://x/a")], prune: false)
    #expect(plan.steps.map(\.action) == [.unchanged])
  }

  @Test func randomReshufflesAlwaysReachTheDesiredState() throws {
    var generator = SeededGenerator(seed: 42)
    for _ in 0..<200 {
      let count = Int.random(in: 1...6, using: &generator)
      let names = (0..<count).map { "n\($0)" }
      let links = (0..<count).map { existing($0 + 1, names[$0], path: "/p\($0)") }
      let shuffled = names.shuffled(using: &generator)
      let wanted = (0..<count).map { desired(shuffled[$0], path: "/p\($0)") }
      let plan = ReleasePlan(desired: wanted, existing: links, prune: false)
      let end = try apply(plan, to: links)
      for (position, link) in wanted.enumerated() {
        #expect(end.first { $0.id == position + 1 }?.name == link.name)
      }
    }
  }
}

/// A small deterministic generator (SplitMix64) so property-style tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
