import GitLabEmulator
import Testing

/// gitlab-api.md, "Rate limiting and transient failures", through the scripted faults.
@Suite struct FaultTests {
  @Test func aThrottledRequestGets429WithRetryAfterAndRateLimitHeaders() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.script(
        method: "POST", pathSuffix: "/assets/links", [.tooManyRequests(retryAfter: "7")])
      let throttled = try fixture.createLink(name: "n", url: "https://x/n")
      #expect(throttled.status == 429)
      #expect(throttled.header("Content-Type") == "text/plain")
      #expect(throttled.text == "Retry later\n")
      #expect(throttled.header("Retry-After") == "7")
      #expect(throttled.header("RateLimit-Limit") != nil)
      #expect(throttled.header("RateLimit-Remaining") == "0")
      #expect(Int(throttled.header("RateLimit-Reset") ?? "") != nil)
      #expect(throttled.header("RateLimit-ResetTime")?.hasSuffix(" GMT") == true)
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").isEmpty)
      // The queue is spent: the retry is carried out.
      #expect(try fixture.createLink(name: "n", url: "https://x/n").status == 201)
    }
  }

  @Test func scriptedStatusesAreServedFirstInFirstOutThenNormalAnswers() throws {
    try Fixture.run { fixture throws in
      let page = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
      fixture.emulator.script(
        method: "GET", pathSuffix: "/assets/links",
        [
          .status(503, body: page), .status(502, body: "<html>Bad Gateway</html>"),
          .status(504, body: ""),
        ])
      let first = try fixture.get(Fixture.links)
      #expect(first.status == 503)
      #expect(first.header("Content-Type") == "text/html; charset=utf-8")
      #expect(first.text == page)
      #expect(try fixture.get(Fixture.links).status == 502)
      #expect(try fixture.get(Fixture.links).status == 504)
      #expect(try fixture.get(Fixture.links).status == 200)
    }
  }

  @Test func aScriptOnlyMatchesItsMethodAndPathSuffix() throws {
    try Fixture.run { fixture throws in
      let id = fixture.emulator.addLink(projectID: 24, tag: "v1.0", name: "n", url: "https://x/n")
      fixture.emulator.script(
        method: "put", pathSuffix: "/links/\(id)",
        [.status(500, body: "{}", headers: [("X-Test", "1")])])
      #expect(try fixture.get("\(Fixture.links)/\(id)").status == 200)
      #expect(try fixture.get(Fixture.links).status == 200)
      let put = try fixture.send("PUT", "\(Fixture.links)/\(id)", form: [("name", "m")])
      #expect(put.status == 500)
      #expect(put.header("Content-Type") == "application/json")
      #expect(put.header("X-Test") == "1")
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").map(\.name) == ["n"])
    }
  }

  @Test func aResetBeforeHandlingCommitsNothing() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.script(method: "POST", pathSuffix: "/assets/links", [.resetBeforeHandling])
      #expect(throws: HTTPTestError.self) { try fixture.createLink(name: "n", url: "https://x/n") }
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").isEmpty)
      #expect(fixture.emulator.requestLog.last?.status == 0)
    }
  }

  @Test func aResetAfterCommitLosesTheAnswerAndABlindRetryFindsTheLinkTaken() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.script(method: "POST", pathSuffix: "/assets/links", [.resetAfterCommit])
      #expect(throws: HTTPTestError.self) { try fixture.createLink(name: "n", url: "https://x/n") }
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").map(\.name) == ["n"])
      let retry = try fixture.createLink(name: "n", url: "https://x/n")
      #expect(retry.status == 400)
      #expect(
        retry.text == #"{"message":["Url has already been taken","Name has already been taken"]}"#)
    }
  }

  @Test func aDelayedAnswerIsStillCarriedOutAndAnswered() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.script(
        method: "POST", pathSuffix: "/assets/links", [.delay(milliseconds: 200)])
      let response = try fixture.createLink(name: "n", url: "https://x/n")
      #expect(response.status == 201)
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").count == 1)
    }
  }

  @Test func aMalformedBodyIs200WithBrokenJSONAndNothingCarriedOut() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.script(method: "POST", pathSuffix: "/assets/links", [.malformedBody])
      let response = try fixture.createLink(name: "n", url: "https://x/n")
      #expect(response.status == 200)
      #expect(response.header("Content-Type") == "application/json")
      #expect(!response.body.isEmpty)
      #expect(response.json == nil)
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").isEmpty)
    }
  }

  @Test func latencyDelaysButDoesNotChangeAnswers() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.setLatency(milliseconds: 50)
      #expect(try fixture.createLink(name: "n", url: "https://x/n").status == 201)
      #expect(try fixture.get(Fixture.links).ids == [1])
      fixture.emulator.setLatency(milliseconds: 0)
    }
  }

  @Test func theConnectionSurvivesScriptedStatusesForTheNextRequest() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.script(
        method: "GET", pathSuffix: "/links", [.status(503, body: "<html></html>")])
      let connection = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      #expect(try connection.send("GET", Fixture.links, headers: [Fixture.dev]).status == 503)
      #expect(try connection.send("GET", Fixture.links, headers: [Fixture.dev]).status == 200)
      #expect(fixture.emulator.stats.connections == 1)
    }
  }
}
