import Foundation
import GitLabEmulator
import Testing

/// The web URLs a release's links point at, fetched as a browser would, and their API twins.
@Suite struct WebRoutesTests {
  static let app = compressibleBytes(count: (3 << 20) + 17)
  static let readme = Array("Read me first.\n".utf8)

  /// Project 24 (`group/app`) with job 100's archive: a deflated `bin/app` larger than any chunk
  /// the server sends, a stored `docs/readme.txt`, and a name that needs percent-encoding.
  private func withArtifacts(_ body: (Fixture) throws -> Void) throws {
    let zip = try ZipFixture(
      [("bin/app", Self.app), ("docs/readme.txt", Self.readme), ("dir/a b+c.txt", [1, 2, 3])],
      zipArguments: ["-n", ".txt"])
    try Fixture.run { fixture throws in
      fixture.emulator.setArtifacts(projectID: 24, jobID: 100, fileAt: zip.archive.path)
      try body(fixture)
    }
  }

  @Test func rawServesDeflatedAndStoredFilesOfTheJobsArchive() throws {
    try withArtifacts { fixture throws in
      let app = try fixture.get("/group/app/-/jobs/100/artifacts/raw/bin/app")
      #expect(app.status == 200)
      #expect(app.body == Self.app)
      #expect(app.header("Content-Length") == String(Self.app.count))
      #expect(app.header("Content-Type") == "application/octet-stream")
      #expect(app.header("Content-Disposition") == #"attachment; filename="app""#)
      let readme = try fixture.get("/group/app/-/jobs/100/artifacts/raw/docs/readme.txt")
      #expect(readme.body == Self.readme)
      #expect(readme.header("Content-Type") == "text/plain; charset=utf-8")
      let encoded = try fixture.get("/group/app/-/jobs/100/artifacts/raw/dir/a%20b%2Bc.txt")
      #expect(encoded.body == [1, 2, 3])
    }
  }

  @Test func aFileTheArchiveDoesNotHoldIsThe404Page() throws {
    try withArtifacts { fixture throws in
      for path in [
        "/group/app/-/jobs/100/artifacts/raw/bin/missing",
        "/group/app/-/jobs/100/artifacts/raw/bin",
        "/group/app/-/jobs/101/artifacts/raw/bin/app",
        "/group/app/-/jobs/100/artifacts/raw/bin/../bin/app",
      ] {
        let response = try fixture.get(path)
        #expect(response.status == 404, "\(path)")
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
      }
    }
  }

  @Test func theConnectionCarriesOnAfterAStreamedEntry() throws {
    try withArtifacts { fixture throws in
      let connection = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      let path = "/group/app/-/jobs/100/artifacts/raw/bin/app"
      #expect(try connection.send("GET", path, headers: [Fixture.dev]).body == Self.app)
      #expect(try connection.send("GET", path, headers: [Fixture.dev]).body.count == Self.app.count)
      #expect(fixture.emulator.stats.connections == 1)
    }
  }

  @Test func headAnswersTheLengthWithoutTheBody() throws {
    try withArtifacts { fixture throws in
      let connection = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      let head = try connection.send(
        "HEAD", "/group/app/-/jobs/100/artifacts/raw/bin/app", headers: [Fixture.dev])
      #expect(head.status == 200)
      #expect(head.header("Content-Length") == String(Self.app.count))
      #expect(head.body.isEmpty)
      // Nothing of the body is left on the connection to confuse the next answer.
      let next = try connection.send(
        "GET", "/group/app/-/jobs/100/artifacts/raw/docs/readme.txt", headers: [Fixture.dev])
      #expect(next.body == Self.readme)
    }
  }

  @Test func archivesInMemoryAndInZip64FormServeTheirFilesToo() throws {
    let zip = try ZipFixture([("bin/app", Self.app)])
    let zip64 = ZipFixture.zip64([("a/one.bin", [9, 8, 7]), ("two.txt", Self.readme)])
    try Fixture.run { fixture throws in
      fixture.emulator.setArtifacts(projectID: 24, jobID: 100, archive: zip.bytes)
      fixture.emulator.setArtifacts(projectID: 24, jobID: 101, archive: zip64)
      #expect(try fixture.get("/group/app/-/jobs/100/artifacts/raw/bin/app").body == Self.app)
      #expect(try fixture.get("/group/app/-/jobs/101/artifacts/raw/a/one.bin").body == [9, 8, 7])
      #expect(try fixture.get("/group/app/-/jobs/101/artifacts/raw/two.txt").body == Self.readme)
      // The whole archive is still what the API's archive route serves.
      let archive = try fixture.get("/api/v4/projects/24/jobs/101/artifacts", [Fixture.job])
      #expect(archive.body == zip64)
    }
  }

  @Test func aBrowserThatIsNotSignedInIsSentToSignIn() throws {
    try withArtifacts { fixture throws in
      let port = try #require(URLComponents(string: fixture.emulator.baseURL)?.port)
      for headers in [[], [("PRIVATE-TOKEN", "no-such-token")], [Fixture.finishedJob]] {
        for path in [
          "/group/app/-/jobs/100/artifacts/raw/bin/app", "/no/such/-/jobs/1/artifacts/raw/x",
        ] {
          let response = try fixture.get(path, headers)
          #expect(response.status == 302)
          #expect(response.header("Location") == "http://127.0.0.1:\(port)/users/sign_in")
        }
      }
    }
  }

  @Test func signedInBrowsersSeeWhatTheirRoleAllows() throws {
    try withArtifacts { fixture throws in
      let path = "/group/app/-/jobs/100/artifacts/raw/docs/readme.txt"
      for headers in [
        [Fixture.reporter], [Fixture.readOnly], [Fixture.job],
        [("Cookie", "a=1; _gitlab_session=dev-token")],
      ] {
        #expect(try fixture.get(path, headers).body == Self.readme, "\(headers)")
      }
      // Guests may not read a private project's jobs; a job of another project is no member.
      #expect(try fixture.get(path, [Fixture.guest]).status == 404)
      #expect(try fixture.get(path, [Fixture.otherProjectJob]).status == 404)
      #expect(try fixture.get("/other/lib/-/jobs/100/artifacts/raw/x", [Fixture.dev]).status == 404)
    }
  }

  @Test func theRefURLRedirectsToTheNewestSuccessfulJobOfThatName() throws {
    try withArtifacts { fixture throws in
      let emulator = fixture.emulator
      emulator.setArtifacts(projectID: 24, jobID: 90, archive: ZipFixture.zip64([("x", [0])]))
      emulator.addJob(projectID: 24, jobID: 90, name: "build:linux", ref: "main")
      emulator.addJob(projectID: 24, jobID: 100, name: "build:linux", ref: "main")
      emulator.addJob(projectID: 24, jobID: 110, name: "build:linux", ref: "main", status: .failed)
      emulator.addJob(projectID: 24, jobID: 120, name: "build:linux", ref: "release/1")
      let response = try fixture.get(
        "/group/app/-/jobs/artifacts/main/raw/docs/readme.txt?job=build%3Alinux")
      #expect(response.status == 302)
      let location = try #require(response.header("Location"))
      #expect(location == "\(emulator.baseURL)/group/app/-/jobs/100/artifacts/raw/docs/readme.txt")
      let followed = try fixture.get(String(location.dropFirst(emulator.baseURL.count)))
      #expect(followed.body == Self.readme)

      for path in [
        "/group/app/-/jobs/artifacts/main/raw/docs/readme.txt",
        "/group/app/-/jobs/artifacts/main/raw/docs/readme.txt?job=test",
        "/group/app/-/jobs/artifacts/release%2F1/raw/docs/readme.txt?job=build%3Alinux",
      ] {
        #expect(try fixture.get(path).status == 404, "\(path)")
      }
    }
  }

  @Test func theReleasesPermanentLinkRedirectsToTheLinksURL() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addRelease(projectID: 24, tag: "release/2")
      fixture.emulator.addLink(
        projectID: 24, tag: "release/2", name: "app", url: "https://cdn.example.com/app-2.tgz",
        directAssetPath: "/bin/app.tgz")
      let response = try fixture.get("/group/app/-/releases/release%2F2/downloads/bin/app.tgz")
      #expect(response.status == 302)
      #expect(response.header("Location") == "https://cdn.example.com/app-2.tgz")
      #expect(
        try fixture.get("/group/app/-/releases/release%2F2/downloads/bin/other").status == 404)
      #expect(try fixture.get("/group/app/-/releases/v9/downloads/bin/app.tgz").status == 404)
      let anonymous = try fixture.get("/group/app/-/releases/release%2F2/downloads/bin/app.tgz", [])
      #expect(anonymous.header("Location")?.hasSuffix("/users/sign_in") == true)

      let api = try fixture.get(
        "/api/v4/projects/24/releases/release%2F2/downloads/bin/app.tgz", [Fixture.job])
      #expect(api.status == 302)
      #expect(api.header("Location") == "https://cdn.example.com/app-2.tgz")
      #expect(api.header("Content-Type") == "text/plain")
      let missing = try fixture.get("/api/v4/projects/24/releases/release%2F2/downloads/nope")
      #expect(missing.text == #"{"message":"404 Not found"}"#)
    }
  }

  @Test func theAPIServesTheSameFilesWithAJobToken() throws {
    try withArtifacts { fixture throws in
      fixture.emulator.addJob(projectID: 24, jobID: 100, name: "build", ref: "main")
      let byJob = try fixture.get("/api/v4/projects/24/jobs/100/artifacts/bin/app", [Fixture.job])
      #expect(byJob.body == Self.app)
      let byRef = try fixture.get(
        "/api/v4/projects/group%2Fapp/jobs/artifacts/main/raw/docs/readme.txt?job=build",
        [Fixture.job])
      #expect(byRef.body == Self.readme)

      let noJob = try fixture.get("/api/v4/projects/24/jobs/artifacts/main/raw/docs/readme.txt")
      #expect(noJob.text == #"{"error":"job is missing"}"#)
      let badID = try fixture.get("/api/v4/projects/24/jobs/x/artifacts/bin/app")
      #expect(badID.text == #"{"error":"job_id is invalid"}"#)
      #expect(try fixture.get("/api/v4/projects/24/jobs/100/artifacts/bin/nope").status == 404)
      #expect(try fixture.get("/api/v4/projects/24/jobs/101/artifacts/bin/app").status == 404)
      #expect(try fixture.get("/api/v4/projects/24/jobs/100/artifacts/bin/app", []).status == 404)
    }
  }
}
