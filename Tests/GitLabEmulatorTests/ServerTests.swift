import Foundation
import GitLabEmulator
import Testing

/// The server around the routes: keep-alive, counters, the request log, the emulator's own routes
/// and the scoped lifetime.
@Suite struct ServerTests {
  @Test func requestsOnOneKeepAliveConnectionCountAsOneConnection() throws {
    try Fixture.run { fixture throws in
      let connection = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      for index in 1...5 {
        let response = try connection.send(
          "POST", Fixture.links, headers: [Fixture.dev, HTTP.formHeader],
          body: HTTP.form([("name", "n\(index)"), ("url", "https://x/\(index)")]))
        #expect(response.status == 201)
      }
      #expect(try connection.send("GET", Fixture.links, headers: [Fixture.dev]).ids.count == 5)
      #expect(fixture.emulator.stats == EmulatorStats(requests: 6, writes: 5, connections: 1))
      _ = try fixture.get(Fixture.links)
      #expect(fixture.emulator.stats == EmulatorStats(requests: 7, writes: 5, connections: 2))
    }
  }

  @Test func connectionCloseIsHonoured() throws {
    try Fixture.run { fixture throws in
      let connection = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      let response = try connection.send(
        "GET", Fixture.links, headers: [Fixture.dev, ("Connection", "close")])
      #expect(response.status == 200)
      #expect(response.header("Connection") == "close")
      #expect(connection.isClosedByServer())
    }
  }

  @Test func theRequestLogNamesCredentialHeadersButNeverTheirValues() throws {
    try Fixture.run { fixture throws in
      _ = try fixture.get(Fixture.links, [("PRIVATE-TOKEN", "dev-token")])
      _ = try fixture.get("\(Fixture.links)?job_token=job-24", [])
      _ = try fixture.createLink(
        name: "n", url: "https://x/n", [("Authorization", "Bearer job-24")])
      _ = try fixture.get(
        "/api/v4/projects/group%2Fapp/releases/v1.0/assets/links", [("JOB-TOKEN", "job-finished")])
      #expect(
        fixture.emulator.requestLog == [
          LoggedRequest(
            method: "GET", rawPath: Fixture.links, authHeaderNames: ["PRIVATE-TOKEN"], status: 200),
          LoggedRequest(method: "GET", rawPath: Fixture.links, authHeaderNames: [], status: 200),
          LoggedRequest(
            method: "POST", rawPath: Fixture.links, authHeaderNames: ["Authorization"], status: 201),
          LoggedRequest(
            method: "GET", rawPath: "/api/v4/projects/group%2Fapp/releases/v1.0/assets/links",
            authHeaderNames: ["JOB-TOKEN"], status: 401),
        ])
      let printed = "\(fixture.emulator.requestLog)"
      for secret in ["dev-token", "job-24", "job-finished"] { #expect(!printed.contains(secret)) }
    }
  }

  @Test func resetStatsZeroesCountersAndTheLog() throws {
    try Fixture.run { fixture throws in
      _ = try fixture.get(Fixture.links)
      fixture.emulator.resetStats()
      #expect(fixture.emulator.stats == EmulatorStats())
      #expect(fixture.emulator.requestLog.isEmpty)
    }
  }

  @Test func theStatsRouteReportsAndResetsWithoutCountingItself() throws {
    try Fixture.run { fixture throws in
      _ = try fixture.createLink(name: "n", url: "https://x/n")
      _ = try fixture.get(Fixture.links)
      let stats = try fixture.get("/-/emulator/stats", [])
      #expect(stats.status == 200)
      #expect(
        stats.text
          == #"{"requests":2,"writes":1,"connections":3,"uploads":0,"uploaded_bytes":0,"package_files":0}"#
      )
      let reset = try fixture.delete("/-/emulator/stats", [])
      #expect(reset.status == 200)
      #expect(fixture.emulator.stats.requests == 0)
      #expect(fixture.emulator.stats.writes == 0)
    }
  }

  @Test func theLinksRouteShowsEveryLinkOfARelease() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addRelease(projectID: 24, tag: "release/2")
      for index in 1...120 {
        fixture.emulator.addLink(
          projectID: 24, tag: "release/2", name: "n\(index)", url: "https://x/\(index)")
      }
      fixture.emulator.addLink(
        projectID: 24, tag: "release/2", name: "p", url: "https://x/p", directAssetPath: "/p.bin")
      let response = try fixture.get("/-/emulator/links/24/release%2F2", [])
      #expect(response.status == 200)
      let links = try #require(response.json as? [[String: Any]])
      #expect(links.count == 121)
      #expect(links.first?["name"] as? String == "n1")
      #expect(links.last?["direct_asset_path"] as? String == "/p.bin")
      #expect(try fixture.get("/-/emulator/links/24/nope", []).status == 404)
    }
  }

  @Test func withEmulatorShutsDownAfterItsBodyEvenWhenItThrows() throws {
    struct Planned: Error {}
    var address = ""
    #expect(throws: Planned.self) {
      try withEmulator { emulator throws in
        address = emulator.baseURL
        #expect(try HTTP.request(address, "GET", "/-/emulator/stats").status == 200)
        throw Planned()
      }
    }
    #expect(throws: HTTPTestError.self) { try HTTPTestConnection(baseURL: address) }
  }

  @Test func anEmulatorStartsOnAChosenPortAndStopsTwiceSafely() throws {
    let probe = GitLabEmulator()
    try probe.start()
    let port = try #require(URLComponents(string: probe.baseURL)?.port)
    try probe.shutdown()
    let emulator = GitLabEmulator(latencyMilliseconds: 1)
    try emulator.start(port: port)
    #expect(emulator.baseURL == "http://127.0.0.1:\(port)")
    #expect(emulator.apiURL == "http://127.0.0.1:\(port)/api/v4")
    #expect(throws: (any Error).self) { try emulator.start() }
    try emulator.shutdown()
    try emulator.shutdown()
  }

  @Test func concurrentClientsSeeConsistentState() throws {
    try Fixture.run { fixture throws in
      let baseURL = fixture.emulator.baseURL
      DispatchQueue.concurrentPerform(iterations: 40) { index in
        _ = try? HTTP.request(
          baseURL, "POST", Fixture.links, headers: [Fixture.dev, HTTP.formHeader],
          body: HTTP.form([("name", "n\(index)"), ("url", "https://x/\(index)")]))
      }
      let links = fixture.emulator.links(projectID: 24, tag: "v1.0")
      #expect(links.count == 40)
      #expect(Set(links.map(\.id)).count == 40)
      #expect(fixture.emulator.stats.connections == 40)
    }
  }
}
