import Foundation
import GitLabEmulator
import Testing

/// `GET /projects/:id/packages`, `GET`/`DELETE /projects/:id/packages/:package_id/package_files`,
/// and the web download of a package file.
@Suite struct PackageListTests {
  static let generic = "/api/v4/projects/24/packages/generic"

  /// Packages 1 `my-app` 1.0 (files 1 `a.bin`, 2 `b.bin`), 2 `my-app` 2.0 (file 3, hidden) and
  /// 3 `tools` 1.0 (file 4) in project 24; the maintainer's job token is `job-24-maintainer`.
  private func seeded(_ body: (Fixture) throws -> Void) throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addJobToken(
        "job-24-maintainer", projectID: 24, jobID: 101, role: .maintainer)
      for (path, bytes) in [
        ("my-app/1.0/a.bin", [1]), ("my-app/1.0/b.bin", [1, 2]),
        ("my-app/2.0/a.bin?status=hidden", [1, 2, 3]), ("tools/1.0/t.bin", Array("tool".utf8)),
      ] as [(String, [UInt8])] {
        let response = try HTTP.request(
          fixture.emulator.baseURL, "PUT", "\(Self.generic)/\(path)", headers: [Fixture.job],
          body: bytes)
        #expect(response.status == 201)
      }
      try body(fixture)
    }
  }

  private func names(_ response: HTTPTestResponse) -> [String] {
    (response.json as? [[String: Any]])?.compactMap {
      guard let name = $0["name"] as? String, let version = $0["version"] as? String else {
        return nil
      }
      return "\(name)@\(version)"
    } ?? []
  }

  @Test func packagesAreListedOldestFirstWithoutHiddenOnes() throws {
    try seeded { fixture throws in
      let response = try fixture.get("/api/v4/projects/24/packages", [Fixture.reporter])
      #expect(response.status == 200)
      #expect(names(response) == ["my-app@1.0", "tools@1.0"])
      #expect(response.header("X-Total") == "2")
      let first = try #require((response.json as? [[String: Any]])?.first)
      #expect(
        Set(first.keys)
          == [
            "id", "name", "version", "package_type", "status", "_links", "created_at",
            "last_downloaded_at", "tags",
          ])
      #expect(first["package_type"] as? String == "generic")
      #expect(first["last_downloaded_at"] is NSNull)
      let links = try #require(first["_links"] as? [String: String])
      // Only those who may delete see `delete_api_path`.
      #expect(links == ["web_path": "/group/app/-/packages/1"])

      let maintainer = try fixture.get("/api/v4/projects/24/packages", [Fixture.maintainer])
      let maintainerLinks =
        (maintainer.json as? [[String: Any]])?.first?["_links"] as? [String: String]
      #expect(
        maintainerLinks?["delete_api_path"]
          == "https://gitlab.example.com/api/v4/projects/24/packages/1")
    }
  }

  @Test func theListFiltersSortsAndPaginatesAsGitLabDoes() throws {
    try seeded { fixture throws in
      func list(_ query: String) throws -> HTTPTestResponse {
        try fixture.get("/api/v4/projects/24/packages?\(query)", [Fixture.job])
      }
      #expect(names(try list("package_name=APP")) == ["my-app@1.0"])
      #expect(names(try list("package_version=1.0")) == ["my-app@1.0", "tools@1.0"])
      #expect(names(try list("status=hidden")) == ["my-app@2.0"])
      #expect(
        names(try list("package_type=generic&order_by=name&sort=desc")) == [
          "tools@1.0", "my-app@1.0",
        ])
      #expect(names(try list("package_type=npm")) == [])
      let page = try list("per_page=1&page=2")
      #expect(names(page) == ["tools@1.0"])
      #expect(page.header("X-Prev-Page") == "1")
      #expect(page.header("Link")?.contains("rel=\"first\"") == true)
      let bad = try list("package_type=zip&sort=up")
      #expect(bad.status == 400)
      #expect(
        bad.text
          == #"{"error":"sort does not have a valid value, package_type does not have a valid value"}"#
      )
    }
  }

  @Test func aPackagesFilesCarryGitLabsEntity() throws {
    try seeded { fixture throws in
      let response = try fixture.get(
        "/api/v4/projects/24/packages/1/package_files", [Fixture.job])
      #expect(response.status == 200)
      #expect(response.ids == [1, 2])
      let file = try #require((response.json as? [[String: Any]])?.last)
      #expect(
        Set(file.keys)
          == [
            "id", "package_id", "created_at", "file_name", "size", "file_md5", "file_sha1",
            "file_sha256",
          ])
      #expect(file["file_name"] as? String == "b.bin")
      #expect(file["size"] as? Int == 2)
      #expect(file["file_md5"] is NSNull)
      #expect((file["file_sha256"] as? String)?.count == 64)
      let sorted = try fixture.get(
        "/api/v4/projects/24/packages/1/package_files?order_by=file_name&sort=desc&per_page=1")
      #expect(sorted.ids == [2])
      #expect(sorted.header("X-Next-Page") == "2")
      #expect(try fixture.get("/api/v4/projects/24/packages/2/package_files").ids == [3])

      #expect(try fixture.get("/api/v4/projects/24/packages/9/package_files").status == 404)
      #expect(try fixture.get("/api/v4/projects/25/packages/1/package_files").status == 404)
      let invalid = try fixture.get("/api/v4/projects/24/packages/x/package_files")
      #expect(invalid.text == #"{"error":"package_id is invalid"}"#)
      #expect(try fixture.get("/api/v4/projects/24/packages", [Fixture.guest]).status == 403)
    }
  }

  @Test func onlyMaintainersDeleteAPackageFile() throws {
    try seeded { fixture throws in
      let file = "/api/v4/projects/24/packages/1/package_files/2"
      #expect(try fixture.delete(file, [Fixture.dev]).status == 403)
      #expect(try fixture.delete(file, [Fixture.job]).status == 403)
      let deleted = try fixture.delete(file, [("JOB-TOKEN", "job-24-maintainer")])
      #expect(deleted.status == 204)
      #expect(deleted.body.isEmpty)
      #expect(deleted.header("Content-Length") == nil)
      #expect(fixture.emulator.packageFiles.map(\.id) == [1, 3, 4])
      #expect(try fixture.get("\(Self.generic)/my-app/1.0/b.bin").status == 404)

      let again = try fixture.delete(file, [Fixture.maintainer])
      #expect(again.text == #"{"message":"404 Not Found"}"#)
      // A file of another package is not found under this one.
      #expect(
        try fixture.delete("/api/v4/projects/24/packages/1/package_files/4", [Fixture.maintainer])
          .status == 404)
      #expect(
        try fixture.delete("/api/v4/projects/24/packages/8/package_files/1", [Fixture.maintainer])
          .text == #"{"message":"404 Not found"}"#)
    }
  }

  @Test func theWebDownloadServesTheFileWithRanges() throws {
    try seeded { fixture throws in
      let path = "/group/app/-/package_files/4/download"
      let whole = try fixture.get(path, [Fixture.reporter])
      #expect(whole.text == "tool")
      #expect(whole.header("Accept-Ranges") == "bytes")
      let part = try fixture.get(path, [Fixture.reporter, ("Range", "bytes=1-2")])
      #expect(part.status == 206)
      #expect(part.text == "oo")
      #expect(part.header("Content-Range") == "bytes 1-2/4")
      let suffix = try fixture.get(path, [Fixture.reporter, ("Range", "bytes=-1")])
      #expect(suffix.text == "l")
      let beyond = try fixture.get(path, [Fixture.reporter, ("Range", "bytes=9-")])
      #expect(beyond.status == 416)
      #expect(beyond.header("Content-Range") == "bytes */4")
      let head = try HTTPTestConnection(baseURL: fixture.emulator.baseURL).send(
        "HEAD", path, headers: [Fixture.reporter])
      #expect(head.header("Content-Length") == "4")

      #expect(try fixture.get(path, []).status == 302)
      #expect(try fixture.get(path, [Fixture.guest]).status == 404)
      #expect(try fixture.get("/group/app/-/package_files/99/download").status == 404)
      #expect(try fixture.get("/other/lib/-/package_files/4/download", [Fixture.dev]).status == 404)
      // A hidden package's file downloads too, by its API path as by the web one.
      #expect(try fixture.get("\(Self.generic)/my-app/2.0/a.bin").body == [1, 2, 3])
      #expect(try fixture.get("/group/app/-/package_files/3/download").body == [1, 2, 3])
    }
  }

  @Test func aDownloadIsRecordedOnThePackage() throws {
    try seeded { fixture throws in
      _ = try fixture.get("\(Self.generic)/tools/1.0/t.bin", [Fixture.job])
      let response = try fixture.get("/api/v4/projects/24/packages?package_name=tools")
      let tools = try #require((response.json as? [[String: Any]])?.first)
      #expect((tools["last_downloaded_at"] as? String)?.hasSuffix("Z") == true)
    }
  }
}
