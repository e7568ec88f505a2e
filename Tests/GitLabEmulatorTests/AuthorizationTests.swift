import GitLabEmulator
import Testing

/// gitlab-api.md, "Errors and authorization": every row, and the order of the checks.
@Suite struct AuthorizationTests {
  @Test func aMissingReleaseOrLinkIs404NotFound() throws {
    try Fixture.run { fixture throws in
      let release = try fixture.get("/api/v4/projects/24/releases/v9.9/assets/links")
      #expect(release.status == 404)
      #expect(release.text == #"{"message":"404 Not found"}"#)
      let link = try fixture.get("\(Fixture.links)/12345")
      #expect(link.status == 404)
      #expect(link.text == #"{"message":"404 Not found"}"#)
    }
  }

  @Test func aLinkOfAnotherReleaseIsNotFound() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addRelease(projectID: 24, tag: "v1.1")
      let id = fixture.emulator.addLink(projectID: 24, tag: "v1.1", name: "n", url: "https://x/n")
      for method in ["GET", "PUT", "DELETE"] {
        let response = try HTTP.request(
          fixture.emulator.baseURL, method, "\(Fixture.links)/\(id)",
          headers: [Fixture.dev, HTTP.formHeader], body: HTTP.form([("name", "m")]))
        #expect(response.status == 404)
        #expect(response.text == #"{"message":"404 Not found"}"#)
      }
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.1").map(\.name) == ["n"])
    }
  }

  @Test func aMissingOrInvisibleProjectIs404ProjectNotFound() throws {
    try Fixture.run { fixture throws in
      let missing = try fixture.get("/api/v4/projects/999/releases/v1.0/assets/links")
      #expect(missing.status == 404)
      #expect(missing.text == #"{"message":"404 Project Not Found"}"#)
      // dev-token has no role in project 25.
      let invisible = try fixture.get("/api/v4/projects/25/releases/v2.0/assets/links")
      #expect(invisible.status == 404)
      #expect(invisible.text == #"{"message":"404 Project Not Found"}"#)
    }
  }

  @Test func anonymousCallersGet404NeverA401() throws {
    try Fixture.run { fixture throws in
      let read = try fixture.get(Fixture.links, [])
      #expect(read.status == 404)
      #expect(read.text == #"{"message":"404 Project Not Found"}"#)
      let write = try fixture.createLink(name: "n", url: "https://x/n", [])
      #expect(write.status == 404)
      #expect(write.text == #"{"message":"404 Project Not Found"}"#)
    }
  }

  @Test(arguments: [
    [("PRIVATE-TOKEN", "no-such-token")],
    [("JOB-TOKEN", "no-such-token")],
    [("Authorization", "Bearer no-such-token")],
    [Fixture.finishedJob],
    [("PRIVATE-TOKEN", "job-24")],
  ])
  func badTokensFinishedJobsAndJobTokensSentAsPATsAre401(headers: [(String, String)]) throws {
    try Fixture.run { fixture throws in
      let response = try fixture.get(Fixture.links, headers)
      #expect(response.status == 401)
      #expect(response.text == #"{"message":"401 Unauthorized"}"#)
    }
  }

  @Test func aJobTokenStopsWorkingWhenItsJobFinishes() throws {
    try Fixture.run { fixture throws in
      #expect(try fixture.get(Fixture.links, [Fixture.job]).status == 200)
      fixture.emulator.setJobRunning(token: "job-24", false)
      #expect(try fixture.get(Fixture.links, [Fixture.job]).status == 401)
    }
  }

  @Test(arguments: [Fixture.reporter, Fixture.guest])
  func reportersAndGuestsMayReadButNotWrite(header: (String, String)) throws {
    try Fixture.run { fixture throws in
      let id = fixture.emulator.addLink(projectID: 24, tag: "v1.0", name: "n", url: "https://x/n")
      #expect(try fixture.get(Fixture.links, [header]).status == 200)
      let writes = [
        try fixture.createLink(name: "m", url: "https://x/m", [header]),
        try fixture.send("PUT", "\(Fixture.links)/\(id)", form: [("name", "m")], [header]),
        try fixture.delete("\(Fixture.links)/\(id)", [header]),
      ]
      for response in writes {
        #expect(response.status == 403)
        #expect(response.text == #"{"message":"403 Forbidden"}"#)
      }
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").map(\.name) == ["n"])
    }
  }

  @Test func maintainersAndDevelopersWrite() throws {
    try Fixture.run { fixture throws in
      #expect(try fixture.createLink(name: "d", url: "https://x/d", [Fixture.dev]).status == 201)
      #expect(
        try fixture.createLink(name: "m", url: "https://x/m", [Fixture.maintainer]).status == 201)
    }
  }

  @Test func onAProtectedTagOnlyMaintainersWrite() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.protectTag(projectID: 24, tag: "v1.0")
      for headers in [[Fixture.dev], [Fixture.job]] {
        let refused = try fixture.createLink(name: "n", url: "https://x/n", headers)
        #expect(refused.status == 403)
        #expect(refused.text == #"{"message":"403 Forbidden"}"#)
      }
      #expect(try fixture.get(Fixture.links, [Fixture.dev]).status == 200)
      #expect(
        try fixture.createLink(name: "n", url: "https://x/n", [Fixture.maintainer]).status == 201)

      fixture.emulator.protectTag(projectID: 24, tag: "v2.0")
      let release = try fixture.send(
        "POST", "/api/v4/projects/24/releases", form: [("tag_name", "v2.0")], [Fixture.job])
      #expect(release.status == 403)
      #expect(!fixture.emulator.hasRelease(projectID: 24, tag: "v2.0"))
    }
  }

  @Test func aJobTokenOfAnotherProjectIsRefusedUnlessAllowlisted() throws {
    try Fixture.run { fixture throws in
      let refused = try fixture.get(Fixture.links, [Fixture.otherProjectJob])
      #expect(refused.status == 403)
      #expect(
        refused.text
          == #"{"message":"403 Forbidden - Authentication by CI/CD job token not allowed from lib to app."}"#
      )
      // Project 26 allowlists project 25.
      let allowed = try fixture.createLink(
        name: "n", url: "https://x/n", project: "26", tag: "v3.0", [Fixture.otherProjectJob])
      #expect(allowed.status == 201)
    }
  }

  @Test func aReadAPITokenReadsButGetsInsufficientScopeOnWrites() throws {
    try Fixture.run { fixture throws in
      #expect(try fixture.get(Fixture.links, [Fixture.readOnly]).status == 200)
      let write = try fixture.createLink(name: "n", url: "https://x/n", [Fixture.readOnly])
      #expect(write.status == 403)
      #expect(
        write.text
          == #"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}"#
      )
      #expect(write.header("WWW-Authenticate")?.contains(#"error="insufficient_scope""#) == true)
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").isEmpty)
    }
  }

  @Test(arguments: [
    [("JOB-TOKEN", "job-24")], [("Authorization", "Bearer job-24")],
    [("Authorization", "Bearer dev-token")],
  ])
  func tokensTravelInTheirHeaders(headers: [(String, String)]) throws {
    try Fixture.run { fixture throws in
      #expect(try fixture.createLink(name: "n", url: "https://x/n", headers).status == 201)
    }
  }

  @Test func tokensAlsoTravelAsParameters() throws {
    try Fixture.run { fixture throws in
      #expect(try fixture.get("\(Fixture.links)?job_token=job-24", []).status == 200)
      #expect(try fixture.get("\(Fixture.links)?private_token=dev-token", []).status == 200)
      let posted = try fixture.send(
        "POST", Fixture.links,
        form: [("name", "n"), ("url", "https://x/n"), ("job_token", "job-24")], [])
      #expect(posted.status == 201)
    }
  }

  @Test func aValidPATWinsOverAJobToken() throws {
    try Fixture.run { fixture throws in
      // The job token alone could not reach project 24; the PAT can.
      let response = try fixture.get(Fixture.links, [Fixture.dev, Fixture.otherProjectJob])
      #expect(response.status == 200)
    }
  }

  @Test func checksRunInGitLabsOrder() throws {
    try Fixture.run { fixture throws in
      // token before project
      #expect(
        try fixture.get(
          "/api/v4/projects/999/releases/v1.0/assets/links", [("PRIVATE-TOKEN", "bad")]
        ).status == 401)
      // release before permission
      let guestOnMissingRelease = try fixture.createLink(
        name: "n", url: "https://x/n", tag: "v9", [Fixture.guest])
      #expect(guestOnMissingRelease.text == #"{"message":"404 Not found"}"#)
      // link before permission
      let guestOnMissingLink = try fixture.delete("\(Fixture.links)/999", [Fixture.guest])
      #expect(guestOnMissingLink.text == #"{"message":"404 Not found"}"#)
      // permission before model
      let guestWithBadModel = try fixture.createLink(name: "", url: "nope", [Fixture.guest])
      #expect(guestWithBadModel.text == #"{"message":"403 Forbidden"}"#)
    }
  }
}
