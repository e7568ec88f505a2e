import Foundation
import GitLabEmulator
import Testing

/// gitlab-api.md, "Other endpoints the tool uses": releases, job artifacts, generic packages.
@Suite struct OtherEndpointsTests {
  @Test func getReleaseAnswersTheReleaseWithItsLinks() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addLink(projectID: 24, tag: "v1.0", name: "a", url: "https://x/a")
      fixture.emulator.addLink(
        projectID: 24, tag: "v1.0", name: "b", url: "https://x/b", directAssetPath: "/b.bin")
      let response = try fixture.get("/api/v4/projects/24/releases/v1.0", [Fixture.job])
      #expect(response.status == 200)
      let release = try #require(response.json as? [String: Any])
      #expect(release["tag_name"] as? String == "v1.0")
      #expect(release["name"] as? String == "v1.0")
      let assets = try #require(release["assets"] as? [String: Any])
      let links = try #require(assets["links"] as? [[String: Any]])
      #expect(links.map { $0["name"] as? String } == ["b", "a"])
      #expect(
        links.first?["direct_asset_url"] as? String
          == "https://gitlab.example.com/group/app/-/releases/v1.0/downloads/b.bin")
    }
  }

  @Test func getMissingReleaseIs404() throws {
    try Fixture.run { fixture throws in
      let response = try fixture.get("/api/v4/projects/24/releases/v7")
      #expect(response.status == 404)
      #expect(response.text == #"{"message":"404 Not found"}"#)
    }
  }

  @Test func postReleaseCreatesItOnceThen409() throws {
    try Fixture.run { fixture throws in
      let created = try fixture.send(
        "POST", "/api/v4/projects/24/releases",
        form: [
          ("tag_name", "v2.0"), ("name", "Release 2"), ("description", "notes"), ("ref", "main"),
        ],
        [Fixture.job])
      #expect(created.status == 201)
      let release = try #require(created.json as? [String: Any])
      #expect(release["name"] as? String == "Release 2")
      #expect(release["description"] as? String == "notes")
      #expect(fixture.emulator.hasRelease(projectID: 24, tag: "v2.0"))

      let again = try fixture.send(
        "POST", "/api/v4/projects/24/releases", form: [("tag_name", "v2.0")])
      #expect(again.status == 409)
      #expect(again.text == #"{"message":"Release already exists"}"#)
    }
  }

  @Test func postReleaseMayCarryAssetLinksAsFormOrJSON() throws {
    try Fixture.run { fixture throws in
      let form = try fixture.send(
        "POST", "/api/v4/projects/24/releases",
        form: [
          ("tag_name", "v3.0"),
          ("assets[links][][name]", "one"), ("assets[links][][url]", "https://x/1"),
          ("assets[links][][name]", "two"), ("assets[links][][url]", "https://x/2"),
          ("assets[links][][direct_asset_path]", "/bin/two"),
          ("assets[links][][link_type]", "package"),
        ])
      #expect(form.status == 201)
      #expect(
        fixture.emulator.links(projectID: 24, tag: "v3.0").map {
          [$0.name, $0.url, $0.directAssetPath ?? "-", $0.linkType]
        }
          == [
            ["one", "https://x/1", "-", "other"], ["two", "https://x/2", "/bin/two", "package"],
          ])

      let json = try fixture.send(
        "POST", "/api/v4/projects/24/releases",
        json:
          #"{"tag_name":"v4.0","assets":{"links":[{"name":"j","url":"https://x/j","filepath":"/j.zip"}]}}"#
      )
      #expect(json.status == 201)
      #expect(
        fixture.emulator.links(projectID: 24, tag: "v4.0").map(\.directAssetPath) == ["/j.zip"])
    }
  }

  @Test func postReleaseChecksItsParametersAndPermission() throws {
    try Fixture.run { fixture throws in
      let missing = try fixture.send("POST", "/api/v4/projects/24/releases", form: [("name", "x")])
      #expect(missing.status == 400)
      #expect(missing.text == #"{"error":"tag_name is missing"}"#)
      let reporter = try fixture.send(
        "POST", "/api/v4/projects/24/releases", form: [("tag_name", "v5")], [Fixture.reporter])
      #expect(reporter.status == 403)
      #expect(!fixture.emulator.hasRelease(projectID: 24, tag: "v5"))
    }
  }

  @Test func listReleasesIsPaginatedNewestFirst() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addRelease(projectID: 24, tag: "v1.1")
      let response = try fixture.get("/api/v4/projects/24/releases?per_page=1")
      #expect(response.status == 200)
      #expect((response.json as? [[String: Any]])?.map { $0["tag_name"] as? String } == ["v1.1"])
      #expect(response.header("X-Total") == "2")
      #expect(response.header("X-Next-Page") == "2")
    }
  }

  @Test func jobArtifactsServeTheStoredArchive() throws {
    try Fixture.run { fixture throws in
      let archive: [UInt8] = Array("PK\u{03}\u{04}fake zip".utf8) + (0..<255).map { UInt8($0) }
      fixture.emulator.setArtifacts(projectID: 24, jobID: 100, archive: archive)
      let response = try fixture.get("/api/v4/projects/24/jobs/100/artifacts", [Fixture.job])
      #expect(response.status == 200)
      #expect(response.body == archive)
      #expect(response.header("Content-Length") == String(archive.count))

      let missing = try fixture.get("/api/v4/projects/24/jobs/101/artifacts", [Fixture.job])
      #expect(missing.status == 404)
      let invalid = try fixture.get("/api/v4/projects/24/jobs/abc/artifacts", [Fixture.job])
      #expect(invalid.text == #"{"error":"job_id is invalid"}"#)
      #expect(try fixture.get("/api/v4/projects/24/jobs/100/artifacts", []).status == 404)
    }
  }

  @Test func jobArtifactsStreamFromAFileWithoutChangingABit() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("emulator-artifacts-\(UUID().uuidString).zip").path
    // Larger than any one chunk the server writes.
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<(3 << 20) + 17).map { _ in UInt8.random(in: 0...255, using: &generator) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Fixture.run { fixture throws in
      fixture.emulator.setArtifacts(projectID: 24, jobID: 100, fileAt: path)
      let connection = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      let first = try connection.send(
        "GET", "/api/v4/projects/24/jobs/100/artifacts", headers: [Fixture.job])
      #expect(first.status == 200)
      #expect(first.body == bytes)
      // The connection is still usable after a streamed body.
      let second = try connection.send(
        "GET", "/api/v4/projects/24/jobs/100/artifacts", headers: [Fixture.job])
      #expect(second.body.count == bytes.count)
      #expect(fixture.emulator.stats.connections == 1)
    }
  }

  @Test func artifactsInObjectStorageRedirectAndTheStorageLogsWhatArrived() throws {
    try Fixture.run { fixture throws in
      let bytes = Array("PK stored in a bucket".utf8)
      let port = try #require(URLComponents(string: fixture.emulator.baseURL)?.port)
      let location = "http://localhost:\(port)/object-storage/job-100.zip"
      fixture.emulator.setStorageObject("job-100.zip", bytes: bytes)
      fixture.emulator.setArtifactsRedirect(projectID: 24, jobID: 100, location: location)

      let redirect = try fixture.get("/api/v4/projects/24/jobs/100/artifacts", [Fixture.job])
      #expect(redirect.status == 302)
      #expect(redirect.header("Location") == location)
      // Credentials are still checked before the redirect is given.
      #expect(try fixture.get("/api/v4/projects/24/jobs/100/artifacts", []).status == 404)

      let object = try fixture.get("/object-storage/job-100.zip", [])
      #expect(object.status == 200)
      #expect(object.body == bytes)
      #expect(try fixture.get("/object-storage/other.zip", []).status == 404)
      let storageRequests = fixture.emulator.requestLog.filter {
        $0.rawPath.hasPrefix("/object-storage/")
      }
      #expect(storageRequests.map(\.authHeaderNames) == [[], []])
    }
  }

  @Test func genericPackagesUploadAndDownload() throws {
    try Fixture.run { fixture throws in
      let path = "/api/v4/projects/24/packages/generic/my-app/1.2.3/app-linux-amd64.tar.gz"
      let content = Array("binary content\n".utf8)
      let upload = try HTTP.request(
        fixture.emulator.baseURL, "PUT", path, headers: [Fixture.job], body: content)
      #expect(upload.status == 201)
      #expect(upload.text == #"{"message":"201 Created"}"#)
      #expect(
        fixture.emulator.packageFile(
          projectID: 24, name: "my-app", version: "1.2.3", file: "app-linux-amd64.tar.gz")
          == content)
      let download = try fixture.get(path, [Fixture.job])
      #expect(download.status == 200)
      #expect(download.body == content)
      #expect(try fixture.get(path.replacingOccurrences(of: "1.2.3", with: "9.9.9")).status == 404)
    }
  }

  @Test func genericPackagesRefuseBadNamesAndReaders() throws {
    try Fixture.run { fixture throws in
      let bad = try HTTP.request(
        fixture.emulator.baseURL, "PUT", "/api/v4/projects/24/packages/generic/my%20app/1.0/f.bin",
        headers: [Fixture.dev], body: [1])
      #expect(bad.status == 400)
      #expect(bad.text == #"{"error":"package_name is invalid"}"#)
      let reporter = try HTTP.request(
        fixture.emulator.baseURL, "PUT", "/api/v4/projects/24/packages/generic/app/1.0/f.bin",
        headers: [Fixture.reporter], body: [1])
      #expect(reporter.status == 403)
    }
  }

  @Test func largeUploadsAnsweringExpectContinueArrive() throws {
    try Fixture.run { fixture throws in
      let content = [UInt8](repeating: 7, count: 2 << 20)
      let response = try HTTP.request(
        fixture.emulator.baseURL, "PUT", "/api/v4/projects/24/packages/generic/app/1.0/big.bin",
        headers: [Fixture.dev, ("Expect", "100-continue")], body: content)
      #expect(response.status == 201)
      #expect(
        fixture.emulator.packageFile(projectID: 24, name: "app", version: "1.0", file: "big.bin")
          == content)
    }
  }

  @Test func getProjectAnswersItsPathForMembersOnly() throws {
    try Fixture.run { fixture throws in
      let response = try fixture.get("/api/v4/projects/group%2Fapp")
      #expect(response.status == 200)
      let project = try #require(response.json as? [String: Any])
      #expect(project["id"] as? Int == 24)
      #expect(project["path_with_namespace"] as? String == "group/app")
      #expect(project["web_url"] as? String == "https://gitlab.example.com/group/app")
      #expect(try fixture.get("/api/v4/projects/25").status == 404)
    }
  }
}
