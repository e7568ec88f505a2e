import Testing

@testable import ReleaseLinkerCore

/// A release held in memory that enforces GitLab's uniqueness rules and can be told to fail.
private final class ModelStore: ReleaseLinkStore {
  /// A wait longer than `--max-wait`: it stops the run.
  struct Throttled: Error, WriteFailureClassifying, RunStoppingError {
    var writeFailureKind: WriteFailureKind { .unavailable }
  }

  enum Failure: Error, WriteFailureClassifying {
    case lostAnswer, taken, refused, unauthorized, gone
    var writeFailureKind: WriteFailureKind {
      switch self {
      case .lostAnswer: .ambiguous
      case .taken: .alreadyTaken
      case .refused: .rejected
      case .unauthorized: .authentication
      case .gone: .notFound
      }
    }
  }

  /// What the next creates do: commit and lose the answer, fail before committing, or be refused.
  enum CreateScript {
    case commitThenLose, loseBeforeCommit, refuse, unauthorized, throttle, succeed
  }

  private let state = Locked<
    (links: [ReleaseLink], next: Int, script: [CreateScript], writes: Int, lists: Int)
  >(([], 1, [], 0, 0))

  init(links: [ReleaseLink] = [], script: [CreateScript] = []) {
    state.withLock {
      $0.links = links
      $0.next = (links.map(\.id).max() ?? 0) + 1
      $0.script = script
    }
  }

  var links: [ReleaseLink] { state.withLock { $0.links } }
  var writes: Int { state.withLock { $0.writes } }
  var lists: Int { state.withLock { $0.lists } }

  func listLinks() throws -> [ReleaseLink] {
    state.withLock {
      $0.lists += 1
      return $0.links
    }
  }

  func createLink(_ fields: LinkFields) throws -> ReleaseLink {
    try state.withLock { state in
      state.writes += 1
      let scripted = state.script.isEmpty ? nil : state.script.removeFirst()
      switch scripted {
      case .loseBeforeCommit: throw Failure.lostAnswer
      case .refuse: throw Failure.refused
      case .unauthorized: throw Failure.unauthorized
      case .throttle: throw Throttled()
      case .commitThenLose, .succeed, nil: break
      }
      if state.links.contains(where: { $0.name == fields.name || $0.url == fields.url }) {
        throw Failure.taken
      }
      let link = Self.link(state.next, fields)
      state.next += 1
      state.links.append(link)
      if scripted == .commitThenLose { throw Failure.lostAnswer }
      return link
    }
  }

  func updateLink(id: Int, _ fields: LinkFields) throws -> ReleaseLink {
    try state.withLock { state in
      state.writes += 1
      guard let position = state.links.firstIndex(where: { $0.id == id }) else {
        throw Failure.gone
      }
      let link = Self.link(id, fields)
      state.links[position] = link
      return link
    }
  }

  func deleteLink(id: Int) throws -> ReleaseLink {
    try state.withLock { state in
      state.writes += 1
      guard let position = state.links.firstIndex(where: { $0.id == id }) else {
        throw Failure.gone
      }
      return state.links.remove(at: position)
    }
  }

  private static func link(_ id: Int, _ fields: LinkFields) -> ReleaseLink {
    let url = fields.url ?? ""
    return ReleaseLink(
      id: id, name: fields.name ?? "", url: url,
      directAssetURL: fields.directAssetPath.map { "https://h/g/p/-/releases/v1/downloads\($0)" }
        ?? url, linkType: fields.linkType ?? .other)
  }
}

private func wanted(_ names: [String]) -> [DerivedLink] {
  names.map {
    DerivedLink(
      asset: Asset(artifactPath: "bin/\($0)", size: 1, sha256: nil), name: $0,
      url: "https://h/g/p/-/jobs/1/artifacts/raw/bin/\($0)", directAssetPath: "/bin/\($0)",
      linkType: .other)
  }
}

@Suite struct PlanExecutorTests {
  @Test func createsEveryLinkInParallel() {
    let store = ModelStore()
    let plan = ReleasePlan(desired: wanted((1...30).map { "a\($0)" }), existing: [], prune: false)
    let results = PlanExecutor(store: store, concurrency: 4, maximumAttempts: 3).execute(plan)
    #expect(results.allSatisfy { $0.status == .done })
    #expect(store.links.count == 30)
    #expect(Set(results.compactMap { $0.link?.id }).count == 30)
  }

  @Test func aCreateWhoseAnswerWasLostIsFoundNotDuplicated() {
    let store = ModelStore(script: [.commitThenLose])
    let plan = ReleasePlan(desired: wanted(["a"]), existing: [], prune: false)
    let results = PlanExecutor(store: store, concurrency: 1, maximumAttempts: 3).execute(plan)
    #expect(results.map(\.status) == [.done])
    #expect(results[0].link?.id == 1)
    #expect(store.links.count == 1)
    #expect(store.writes == 1)
  }

  @Test func aCreateThatNeverLandedIsSentAgainAfterLooking() {
    let store = ModelStore(script: [.loseBeforeCommit, .loseBeforeCommit])
    let plan = ReleasePlan(desired: wanted(["a"]), existing: [], prune: false)
    let results = PlanExecutor(store: store, concurrency: 1, maximumAttempts: 3).execute(plan)
    #expect(results.map(\.status) == [.done])
    #expect(store.links.count == 1)
    #expect(store.writes == 3)
  }

  @Test func attemptsAreBounded() {
    let store = ModelStore(script: Array(repeating: .loseBeforeCommit, count: 10))
    let plan = ReleasePlan(desired: wanted(["a"]), existing: [], prune: false)
    let results = PlanExecutor(store: store, concurrency: 1, maximumAttempts: 3).execute(plan)
    #expect(results.map(\.status) == [.failed])
    #expect(results[0].failureKind == .ambiguous)
    #expect(store.writes == 3)
  }

  @Test func oneRefusedLinkDoesNotStopTheOthers() {
    let store = ModelStore(script: [.refuse])
    let plan = ReleasePlan(desired: wanted(["a", "b", "c"]), existing: [], prune: false)
    let results = PlanExecutor(store: store, concurrency: 1, maximumAttempts: 3).execute(plan)
    #expect(results.map(\.status) == [.failed, .done, .done])
    #expect(store.links.map(\.name) == ["b", "c"])
  }

  @Test func aRefusedTokenStopsTheRun() {
    let store = ModelStore(script: [.unauthorized])
    let plan = ReleasePlan(desired: wanted(["a", "b", "c"]), existing: [], prune: false)
    let results = PlanExecutor(store: store, concurrency: 1, maximumAttempts: 3).execute(plan)
    #expect(results.allSatisfy { $0.status == .failed && $0.failureKind == .authentication })
    #expect(store.writes == 1)
  }

  @Test func deletingAnAlreadyDeletedLinkIsDone() {
    let gone = ReleaseLink(
      id: 9, name: "x", url: "https://x", directAssetURL: "https://x", linkType: .other)
    let store = ModelStore()
    let plan = ReleasePlan(desired: [], existing: [gone], prune: true)
    let results = PlanExecutor(store: store, concurrency: 2, maximumAttempts: 3).execute(plan)
    #expect(results.map(\.status) == [.done])
  }

  @Test func aSwapLandsThroughParking() {
    let existing = [
      ReleaseLink(
        id: 1, name: "x", url: "https://h/1",
        directAssetURL: "https://h/g/p/-/releases/v1/downloads/a",
        linkType: .other),
      ReleaseLink(
        id: 2, name: "y", url: "https://h/2",
        directAssetURL: "https://h/g/p/-/releases/v1/downloads/b",
        linkType: .other),
    ]
    let store = ModelStore(links: existing)
    let desired = [
      DerivedLink(
        asset: Asset(artifactPath: "a", size: 1, sha256: nil), name: "y", url: "https://h/1",
        directAssetPath: "/a", linkType: .other),
      DerivedLink(
        asset: Asset(artifactPath: "b", size: 1, sha256: nil), name: "x", url: "https://h/2",
        directAssetPath: "/b", linkType: .other),
    ]
    let plan = ReleasePlan(desired: desired, existing: existing, prune: false)
    let results = PlanExecutor(store: store, concurrency: 4, maximumAttempts: 3).execute(plan)
    #expect(results.map(\.status) == [.done, .done])
    #expect(store.links.sorted { $0.id < $1.id }.map(\.name) == ["y", "x"])
    #expect(store.links.map(\.directAssetPath).sorted { ($0 ?? "") < ($1 ?? "") } == ["/a", "/b"])
  }

  @Test func createsAnotherRunMadeAreSettledByOneListingAndCountAsUnchanged() {
    // The plan was made on an empty release; meanwhile another run created every link.
    let desired = wanted((1...30).map { "a\($0)" })
    let plan = ReleasePlan(desired: desired, existing: [], prune: false)
    let other = ModelStore()
    _ = PlanExecutor(store: other, concurrency: 4, maximumAttempts: 3).execute(plan)
    let store = ModelStore(links: other.links)
    let results = PlanExecutor(store: store, concurrency: 4, maximumAttempts: 3).execute(plan)
    #expect(results.allSatisfy { $0.status == .done && $0.settledAs == .unchanged })
    #expect(store.writes == 30)
    #expect(store.lists == 1, "one listing settles the whole wave, not one per link")
    #expect(store.links.count == 30)
    let outcome = PublishOutcome(plan: plan, results: results, createdRelease: false)
    #expect(outcome.counts == ActionCounts(unchanged: 30))
  }

  @Test func aLostAnswerFoundOnTheServerIsStillOurCreate() {
    let store = ModelStore(script: [.commitThenLose, .commitThenLose])
    let plan = ReleasePlan(desired: wanted(["a", "b", "c"]), existing: [], prune: false)
    let results = PlanExecutor(store: store, concurrency: 1, maximumAttempts: 3).execute(plan)
    #expect(results.map(\.status) == [.done, .done, .done])
    #expect(results.map(\.settledAs) == [nil, nil, nil])
    #expect(store.lists == 1)
  }

  @Test func writesFailingInARowStopTheRest() {
    let store = ModelStore(script: Array(repeating: .loseBeforeCommit, count: 200))
    let plan = ReleasePlan(desired: wanted((1...40).map { "a\($0)" }), existing: [], prune: false)
    let results = PlanExecutor(
      store: store, concurrency: 1, maximumAttempts: 3, consecutiveFailureLimit: 10
    ).execute(plan)
    #expect(results.allSatisfy { $0.status == .failed })
    #expect(store.writes == 10)
    #expect(results[39].error?.contains("10 writes in a row") == true)
    #expect(results[39].failureKind == .unavailable)
    #expect(
      PublishOutcome(plan: plan, results: results, createdRelease: false).exitStatus == .unavailable
    )
  }

  @Test func aSuccessBreaksTheRunOfFailures() {
    let script: [ModelStore.CreateScript] =
      Array(repeating: .loseBeforeCommit, count: 9) + [.succeed]
      + Array(repeating: .loseBeforeCommit, count: 9)
    let store = ModelStore(script: script)
    let plan = ReleasePlan(desired: wanted((1...25).map { "a\($0)" }), existing: [], prune: false)
    let results = PlanExecutor(
      store: store, concurrency: 1, maximumAttempts: 3, consecutiveFailureLimit: 10
    ).execute(plan)
    #expect(results.filter { $0.status == .done }.count == 25)
  }

  @Test func aPassedDeadlineSendsNothingMore() {
    let store = ModelStore()
    let plan = ReleasePlan(desired: wanted(["a", "b"]), existing: [], prune: false)
    let passed = Deadline(seconds: 1, from: MonotonicClock.now() - 2)
    let results = PlanExecutor(store: store, concurrency: 1, maximumAttempts: 3, deadline: passed)
      .execute(plan)
    #expect(store.writes == 0)
    #expect(results.allSatisfy { $0.status == .failed && $0.failureKind == .unavailable })
    #expect(results[0].error?.contains("--deadline of 1 s") == true)
  }

  @Test func aWaitLongerThanMaxWaitStopsTheRun() {
    let store = ModelStore(script: [.throttle])
    let plan = ReleasePlan(desired: wanted(["a", "b", "c"]), existing: [], prune: false)
    let results = PlanExecutor(store: store, concurrency: 1, maximumAttempts: 3).execute(plan)
    #expect(store.writes == 1)
    #expect(results.allSatisfy { $0.status == .failed && $0.failureKind == .unavailable })
    #expect(results[0].stopsRun)
  }
}

@Suite struct ParkingMarkerTests {
  private let link = ReleaseLink(
    id: 7, name: "two.txt", url: "https://h/g/p/-/jobs/1/artifacts/raw/one.txt",
    directAssetURL: "https://h/g/p/-/releases/v1/downloads/one.txt", linkType: .package)

  private func parked(_ link: ReleaseLink, movingPath: Bool) -> ReleaseLink {
    let fields = ParkingMarker.fields(for: link, movingPath: movingPath)
    return ReleaseLink(
      id: link.id, name: fields.name ?? "", url: fields.url ?? "",
      directAssetURL: fields.directAssetPath.map { "https://h/g/p/-/releases/v1/downloads\($0)" }
        ?? link.directAssetURL, linkType: link.linkType)
  }

  @Test func aParkedLinkIsReadBackAsTheLinkItWas() throws {
    let kept = try #require(ParkingMarker.original(of: parked(link, movingPath: false)))
    #expect(kept.name == "two.txt")
    #expect(kept.url == link.url)
    #expect(kept.directAssetPath == "/one.txt")
    let moved = try #require(ParkingMarker.original(of: parked(link, movingPath: true)))
    #expect(moved.name == "two.txt" && moved.url == link.url)
    #expect(moved.directAssetPath == nil)
  }

  @Test func aURLWithAFragmentKeepsIt() throws {
    var withFragment = link
    withFragment.url += "#sha"
    let original = try #require(ParkingMarker.original(of: parked(withFragment, movingPath: false)))
    #expect(original.url == withFragment.url)
  }

  @Test func onlyAMarkerNamingTheLinksOwnIdCounts() {
    #expect(ParkingMarker.original(of: link) == nil)
    var other = parked(link, movingPath: false)
    other.id = 8
    #expect(ParkingMarker.original(of: other) == nil)
  }

  @Test func aParkedLinkIsMatchedAndRepairedAndAnUnmatchedOneRemoved() {
    let desired = wanted(["one"])
    let leftover = ReleaseLink(
      id: 3, name: "one (release-linker-parked-3)",
      url: desired[0].url + "#release-linker-parked-3",
      directAssetURL: "https://h/g/p/-/releases/v1/downloads/.release-linker-parked-3",
      linkType: .other)
    let stray = ReleaseLink(
      id: 4, name: "old (release-linker-parked-4)", url: "https://h/old#release-linker-parked-4",
      directAssetURL: "https://h/old#release-linker-parked-4", linkType: .other)
    let plan = ReleasePlan(desired: desired, existing: [leftover, stray], prune: false)
    #expect(plan.steps.map(\.action) == [.update, .delete])
    #expect(plan.steps[0].existing?.id == 3)
    #expect(plan.steps[1].existing?.id == 4)
  }
}
