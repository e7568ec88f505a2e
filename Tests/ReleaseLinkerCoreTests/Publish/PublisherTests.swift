import Testing

@testable import ReleaseLinkerCore

/// A release held in memory: created with its links in one request (or refused as too large, or its
/// answer lost), updated by fields, its links written one by one.
private final class ModelRelease: ReleaseAccess {
  enum Failure: Error, WriteFailureClassifying {
    case lostAnswer, refused
    var writeFailureKind: WriteFailureKind { self == .lostAnswer ? .ambiguous : .rejected }
  }

  enum CreateScript {
    case commitThenLose
    case tooLarge(Int)
  }

  struct State {
    var release: ReleaseSnapshot?
    var next = 1
    var script: [CreateScript] = []
    var calls: [String] = []
  }

  let state = Locked(State())

  init(release: ReleaseSnapshot? = nil, script: [CreateScript] = []) {
    state.withLock {
      $0.release = release
      $0.script = script
    }
  }

  var calls: [String] { state.withLock { $0.calls } }
  var release: ReleaseSnapshot? { state.withLock { $0.release } }

  func readRelease() throws -> ReleaseSnapshot? {
    state.withLock {
      $0.calls.append("read")
      return $0.release
    }
  }

  func createRelease(_ draft: ReleaseDraft, links: [LinkFields]) throws -> ReleaseCreation {
    try state.withLock { state in
      state.calls.append("create \(links.count)")
      guard state.release == nil else { return .alreadyExists }
      let scripted = state.script.isEmpty ? nil : state.script.removeFirst()
      if case .tooLarge(let most) = scripted, links.count > most {
        throw GitLabAPIError(
          status: 400, gitLabMessage: "Too many total parameters", method: .post,
          path: "/projects/1/releases")
      }
      var made: [ReleaseLink] = []
      for fields in links {
        made.append(Self.link(state.next, fields))
        state.next += 1
      }
      let snapshot = ReleaseSnapshot(
        name: draft.name, tagName: draft.tag, description: draft.description,
        milestones: draft.milestones, links: made)
      state.release = snapshot
      if case .commitThenLose = scripted { throw Failure.lostAnswer }
      return .created(snapshot)
    }
  }

  func updateRelease(_ changes: ReleaseChanges) throws -> ReleaseSnapshot {
    try state.withLock { state in
      state.calls.append("update " + changes.fieldNames.joined(separator: ","))
      guard var release = state.release else { throw Failure.refused }
      if let name = changes.name { release.name = name }
      if let description = changes.description { release.description = description }
      if let milestones = changes.milestones { release.milestones = milestones }
      state.release = release
      return release
    }
  }

  func listLinks() throws -> [ReleaseLink] {
    state.withLock {
      $0.calls.append("list")
      return $0.release?.links ?? []
    }
  }

  func createLink(_ fields: LinkFields) throws -> ReleaseLink {
    state.withLock { state in
      state.calls.append("link")
      let link = Self.link(state.next, fields)
      state.next += 1
      state.release?.links.append(link)
      return link
    }
  }

  func updateLink(id: Int, _ fields: LinkFields) throws -> ReleaseLink { throw Failure.refused }
  func deleteLink(id: Int) throws -> ReleaseLink { throw Failure.refused }

  static func link(_ id: Int, _ fields: LinkFields) -> ReleaseLink {
    let url = fields.url ?? ""
    return ReleaseLink(
      id: id, name: fields.name ?? "", url: url,
      directAssetURL: fields.directAssetPath.map { "https://h/g/p/-/releases/v1/downloads\($0)" }
        ?? url, linkType: fields.linkType ?? .other)
  }
}

private func wanted(_ count: Int) -> [DerivedLink] {
  (0..<count).map {
    DerivedLink(
      asset: Asset(artifactPath: "bin/f\($0)", size: 1, sha256: nil), name: "f\($0)",
      url: "https://h/g/p/-/jobs/1/artifacts/raw/bin/f\($0)", directAssetPath: "/bin/f\($0)",
      linkType: .other)
  }
}

@Suite struct PublisherTests {
  private func publish(
    _ count: Int, to release: ModelRelease, request: ReleaseRequest, perCreate: Int = 1_000,
    dryRun: Bool = false
  ) throws -> PublishOutcome {
    try Publisher.publish(
      wanted(count), to: release, project: "1", tag: "v1",
      options: PublishOptions(
        dryRun: dryRun, release: request, linksPerReleaseCreate: perCreate))
  }

  @Test func aNewReleaseCarriesItsLinksAndTheRestGoOneByOne() throws {
    let release = ModelRelease()
    let outcome = try publish(7, to: release, request: ReleaseRequest(create: true), perCreate: 5)
    #expect(release.calls.filter { $0 != "list" } == ["read", "create 5", "link", "link"])
    #expect(release.release?.links.count == 7)
    #expect(outcome.results.allSatisfy { $0.status == .done && $0.link != nil })
    #expect(outcome.release == ReleaseResult(action: .create, status: .done, linksCarried: 5))
    #expect(outcome.exitStatus == .success)
  }

  @Test func anOrderAskedForSendsTheLinksOneByOneAfterTheRelease() throws {
    let release = ModelRelease()
    let outcome = try Publisher.publish(
      wanted(3), to: release, project: "1", tag: "v1",
      options: PublishOptions(order: .name, release: ReleaseRequest(create: true)))
    #expect(release.calls == ["read", "create 0", "link", "link", "link"])
    #expect(release.release?.links.map(\.name) == ["f2", "f1", "f0"])
    #expect(outcome.exitStatus == .success)
  }

  @Test func aBodyTooLargeForTheServerCreatesTheReleaseAloneThenEveryLink() throws {
    let release = ModelRelease(script: [.tooLarge(3)])
    let outcome = try publish(4, to: release, request: ReleaseRequest(create: true))
    #expect(release.calls.prefix(3) == ["read", "create 4", "create 0"])
    #expect(release.calls.filter { $0 == "link" }.count == 4)
    #expect(outcome.exitStatus == .success)
    #expect(outcome.release?.linksCarried == 0)
  }

  @Test func aLostAnswerIsSettledByReadingNotByCreatingAgain() throws {
    let release = ModelRelease(script: [.commitThenLose])
    let outcome = try publish(3, to: release, request: ReleaseRequest(create: true))
    #expect(release.calls.filter { $0.hasPrefix("create") } == ["create 3"])
    #expect(release.calls.contains("read") && !release.calls.contains("link"))
    #expect(release.release?.links.count == 3)
    #expect(outcome.plan.steps.allSatisfy { $0.action == .unchanged })
    #expect(outcome.exitStatus == .success)
  }

  @Test func anExistingReleaseIsUpdatedOnlyWhereItDiffers() throws {
    let release = ModelRelease(
      release: ReleaseSnapshot(name: "v1", tagName: "v1", description: "by hand"))
    let request = ReleaseRequest(update: true, name: "One", notes: "by hand")
    let outcome = try publish(1, to: release, request: request)
    #expect(release.calls.contains("update name"))
    #expect(outcome.release == ReleaseResult(action: .update, status: .done, fields: ["name"]))
    let again = try publish(1, to: release, request: request)
    #expect(release.calls.filter { $0.hasPrefix("update") }.count == 1)
    #expect(again.release?.action == .unchanged)
  }

  @Test func aDryRunSendsNothing() throws {
    let missing = ModelRelease()
    let planned = try publish(2, to: missing, request: ReleaseRequest(create: true), dryRun: true)
    #expect(missing.calls == ["read"])
    #expect(planned.release == ReleaseResult(action: .create, status: .planned, linksCarried: 2))
    let existing = ModelRelease(
      release: ReleaseSnapshot(name: "v1", tagName: "v1", description: ""))
    let update = try publish(
      0, to: existing, request: ReleaseRequest(update: true, name: "x"), dryRun: true)
    #expect(!existing.calls.contains { $0.hasPrefix("update") })
    #expect(update.release?.status == .planned)
  }

  @Test func withoutCreateAMissingReleaseIsAnError() {
    #expect(throws: ReleaseMissingError.self) {
      try publish(1, to: ModelRelease(), request: ReleaseRequest())
    }
  }
}
