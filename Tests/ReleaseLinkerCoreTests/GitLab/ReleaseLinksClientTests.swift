import Foundation
import GitLabEmulator
import Synchronization
import Testing

@testable import ReleaseLinkerCore

/// The client against the emulator on loopback: reuse of connections, retries, and writes whose
/// outcome is unknown.
@Suite(.serialized) struct ReleaseLinksClientTests {
  static let token = "glpat-client-5ecret"

  /// Records the waits the transport asked for instead of sleeping.
  final class Waits: Sendable {
    private let values = Locked<[Double]>([])
    var recorded: [Double] { values.withLock { $0 } }
    func record(_ seconds: Double) { values.withLock { $0.append(seconds) } }
  }

  private func client(
    _ emulator: GitLabEmulator, retries: Int = 3, concurrency: Int = 4, waits: Waits = Waits(),
    apiURL: String? = nil, project: String = "24", tag: String = "v0.1"
  ) -> ReleaseLinksClient {
    let transport = HTTPTransport(
      settings: TransportSettings(
        timeout: 30, retryPolicy: RetryPolicy(maximumRetries: retries), concurrency: concurrency),
      sleeper: { waits.record($0) })
    let connection = GitLabConnection(
      apiURL: apiURL ?? emulator.apiURL,
      token: Token(Self.token, kind: .privateToken, source: .defaultValue), transport: transport)
    return ReleaseLinksClient(connection: connection, project: ProjectIdentifier(project), tag: tag)
  }

  private func seed(_ emulator: GitLabEmulator) {
    emulator.addProject(id: 24, path: "namespace/project")
    emulator.addRelease(projectID: 24, tag: "v0.1")
    emulator.addPrivateToken(Self.token, roles: [24: .maintainer])
  }

  @Test func fiftySequentialCallsReuseTheConnection() throws {
    try withEmulator { emulator in
      seed(emulator)
      let id = emulator.addLink(projectID: 24, tag: "v0.1", name: "a", url: "https://example.com/a")
      let client = client(emulator)
      emulator.resetStats()
      for _ in 0..<50 {
        let link = try client.get(id: id)
        #expect(link.name == "a")
      }
      #expect(emulator.stats.requests == 50)
      #expect(emulator.stats.connections <= 2, "\(emulator.stats)")
    }
  }

  @Test func parallelCallsShareAFewConnections() throws {
    try withEmulator { emulator in
      seed(emulator)
      let id = emulator.addLink(projectID: 24, tag: "v0.1", name: "a", url: "https://example.com/a")
      let client = client(emulator, concurrency: 4)
      emulator.resetStats()
      let failures = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: 4) { _ in
        for _ in 0..<20 where (try? client.get(id: id)) == nil {
          failures.add(1, ordering: .relaxed)
        }
      }
      #expect(failures.load(ordering: .relaxed) == 0)
      #expect(emulator.stats.requests == 80)
      #expect(emulator.stats.connections <= 8, "\(emulator.stats)")
    }
  }

  @Test func retryAfterIsHonoured() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(
        method: "GET", pathSuffix: "/assets/links", [.tooManyRequests(retryAfter: "7")])
      let waits = Waits()
      let links = try client(emulator, waits: waits).list()
      #expect(links.isEmpty)
      #expect(waits.recorded == [7])
    }
  }

  @Test func aRetryAfterBeyondMaxWaitStopsWithoutWaiting() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(
        method: "GET", pathSuffix: "/assets/links", [.tooManyRequests(retryAfter: "99999")])
      let waits = Waits()
      #expect {
        try client(emulator, waits: waits).list()
      } throws: { error in
        // The pacer refuses a 429's wait first; any other status's is the retry policy's.
        guard error is any RunStoppingError, let error = error as? any ReleaseLinkerError else {
          return false
        }
        return error.exitStatus == .unavailable && error.message.contains("longer than --max-wait")
      }
      #expect(waits.recorded.isEmpty)
      #expect(emulator.requestLog.count == 1)
    }
  }

  @Test func aServiceUnavailableAskingForTooLongAWaitStopsWithoutWaiting() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(
        method: "GET", pathSuffix: "/assets/links",
        [.status(503, body: "<h1>maintenance</h1>", headers: [("Retry-After", "86400")])])
      let waits = Waits()
      #expect {
        try client(emulator, waits: waits).list()
      } throws: { error in
        guard let error = error as? RetryLaterError else { return false }
        return error.askedSeconds == 86_400 && error.status == 503
          && error.message.contains("asks to wait 24 h 0 min")
      }
      #expect(waits.recorded.isEmpty)
    }
  }

  @Test func aNegativeRetryAfterWaitsTheBackoff() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(
        method: "GET", pathSuffix: "/assets/links",
        [.tooManyRequests(retryAfter: "-1"), .tooManyRequests(retryAfter: "-5")])
      let waits = Waits()
      _ = try client(emulator, waits: waits).list()
      #expect(waits.recorded.count == 2)
      #expect((0.25...0.5).contains(waits.recorded[0]) && (0.5...1).contains(waits.recorded[1]))
    }
  }

  @Test func aThrottledCreateIsSentAgain() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(
        method: "POST", pathSuffix: "/assets/links", [.tooManyRequests(retryAfter: "1")])
      let link = try client(emulator).create(LinkFields(name: "a", url: "https://example.com/a"))
      #expect(link.name == "a")
      #expect(emulator.links(projectID: 24, tag: "v0.1").count == 1)
    }
  }

  @Test func aCreateWhoseAnswerWasLostIsNotResent() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(method: "POST", pathSuffix: "/assets/links", [.resetAfterCommit])
      #expect {
        try client(emulator).create(LinkFields(name: "a", url: "https://example.com/a"))
      } throws: { error in
        WriteFailureKind(error) == .ambiguous
          && (error as? TransportError)?.exitStatus == .unavailable
      }
      #expect(emulator.requestLog.filter { $0.method == "POST" }.count == 1)
      #expect(emulator.links(projectID: 24, tag: "v0.1").count == 1)
    }
  }

  @Test func aServerErrorToACreateIsAmbiguousAndNotResent() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(
        method: "POST", pathSuffix: "/assets/links", [.status(503, body: "<h1>503</h1>")])
      #expect {
        try client(emulator).create(LinkFields(name: "a", url: "https://example.com/a"))
      } throws: { error in
        WriteFailureKind(error) == .ambiguous
      }
      #expect(emulator.requestLog.filter { $0.method == "POST" }.count == 1)
    }
  }

  @Test func aResetReadIsRetried() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(method: "GET", pathSuffix: "/assets/links", [.resetBeforeHandling])
      let links = try client(emulator).list()
      #expect(links.isEmpty)
    }
  }

  @Test func aRefusedConnectionIsRetriedThenUnavailable() throws {
    let waits = Waits()
    let transport = HTTPTransport(
      settings: TransportSettings(retryPolicy: RetryPolicy(maximumRetries: 2)),
      sleeper: { waits.record($0) })
    let connection = GitLabConnection(
      apiURL: "http://127.0.0.1:9/api/v4",
      token: Token(Self.token, kind: .privateToken, source: .defaultValue), transport: transport)
    let client = ReleaseLinksClient(
      connection: connection, project: ProjectIdentifier("1"), tag: "v")
    #expect {
      try client.create(LinkFields(name: "a", url: "https://example.com/a"))
    } throws: { error in
      guard let error = error as? TransportError else { return false }
      // Nothing reached the server, so even the POST was tried again.
      return error.kind == .connectionRefused && error.attempts == 3
        && error.writeFailureKind == .unavailable
    }
    #expect(waits.recorded.count == 2)
  }

  @Test func existingLinksTellsAMissingReleaseFromAMissingProject() throws {
    try withEmulator { emulator in
      seed(emulator)
      let missing = try client(emulator, tag: "v9").existingLinks()
      #expect(missing == nil)
      let present = try client(emulator).existingLinks()
      #expect(present == [])
      #expect {
        try client(emulator, project: "nobody/nothing").existingLinks()
      } throws: { error in
        (error as? GitLabAPIError)?.isProjectNotFound == true
      }
    }
  }

  @Test func createReleaseAcceptsAnExistingRelease() throws {
    try withEmulator { emulator in
      seed(emulator)
      let first = try client(emulator, tag: "v2.0").createRelease(
        ReleaseDraft(tag: "v2.0", name: "Two", description: "notes"))
      #expect(emulator.hasRelease(projectID: 24, tag: "v2.0"))
      guard case .created(let snapshot) = first else {
        Issue.record("expected the release to be created, got \(first)")
        return
      }
      #expect(snapshot.name == "Two" && snapshot.description == "notes" && snapshot.links == [])
      let second = try client(emulator, tag: "v2.0").createRelease(
        ReleaseDraft(tag: "v2.0", name: "v2.0", description: ""))
      #expect(second == .alreadyExists)
    }
  }

  @Test func createReleaseCarriesItsLinksInTheSameRequest() throws {
    try withEmulator { emulator in
      seed(emulator)
      let links = (0..<3).map {
        LinkFields(
          name: "f\($0)", url: "https://example.com/f\($0)", directAssetPath: "/bin/f\($0)",
          linkType: .package)
      }
      emulator.resetStats()
      let answer = try client(emulator, tag: "v3.0").createRelease(
        ReleaseDraft(tag: "v3.0", name: "v3.0", description: ""), links: links)
      #expect(emulator.stats.requests == 1)
      guard case .created(let snapshot) = answer else {
        Issue.record("expected the release to be created, got \(answer)")
        return
      }
      #expect(Set(snapshot.links.map(\.name)) == ["f0", "f1", "f2"])
      #expect(snapshot.links.allSatisfy { $0.linkType == .package })
      #expect(
        emulator.links(projectID: 24, tag: "v3.0").map(\.directAssetPath) == [
          "/bin/f0", "/bin/f1", "/bin/f2",
        ])
    }
  }

  @Test func updateSendsAllFourFieldsAndDeleteReturnsTheLink() throws {
    try withEmulator { emulator in
      seed(emulator)
      let client = client(emulator)
      let created = try client.create(
        LinkFields(
          name: "a", url: "https://example.com/a", directAssetPath: "/bin/a.deb", linkType: .package
        ))
      let updated = try client.update(
        id: created.id,
        LinkFields(
          name: "b", url: "https://example.com/b", directAssetPath: "/bin/b.deb", linkType: .image))
      #expect(updated.name == "b")
      #expect(updated.linkType == .image)
      #expect(updated.directAssetPath == "/bin/b.deb")
      let deleted = try client.delete(id: created.id)
      #expect(deleted.name == "b")
      let remaining = try client.list()
      #expect(remaining.isEmpty)
    }
  }
}
