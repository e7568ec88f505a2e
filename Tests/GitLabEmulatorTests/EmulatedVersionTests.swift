import Foundation
import GitLabEmulator
import Testing

/// `--gitlab-version`: what an older GitLab understands, and `GET /version`.
@Suite struct EmulatedVersionTests {
  @Test func before15Point9DirectAssetPathIsDroppedAndFilepathTaken() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.setGitLabVersion(EmulatedVersion(major: 15, minor: 8))
      let dropped = try fixture.createLink(name: "a", url: "https://x/a", path: "/bin/a")
      #expect(dropped.status == 201)
      #expect(dropped.text == Fixture.entity(id: 1, name: "a", url: "https://x/a"))
      let taken = try fixture.send(
        "POST", Fixture.links,
        form: [("name", "b"), ("url", "https://x/b"), ("filepath", "/bin/b")])
      #expect(taken.text == Fixture.entity(id: 2, name: "b", url: "https://x/b", path: "/bin/b"))
      // Not even its shape is checked: Grape does not know the parameter.
      let shape = try fixture.send(
        "POST", Fixture.links,
        json: #"{"name":"c","url":"https://x/c","direct_asset_path":["x"]}"#)
      #expect(shape.status == 201)
      let put = try fixture.send(
        "PUT", Fixture.links + "/2", form: [("name", "b"), ("direct_asset_path", "/other")])
      #expect(put.text == Fixture.entity(id: 2, name: "b", url: "https://x/b", path: "/bin/b"))

      let release = try fixture.send(
        "POST", "/api/v4/projects/24/releases",
        json:
          #"{"tag_name":"v9","assets":{"links":[{"name":"n","url":"https://x/n","direct_asset_path":"/n.bin"},{"name":"m","url":"https://x/m","filepath":"/m.bin"}]}}"#
      )
      #expect(release.status == 201, "\(release.text)")
      #expect(
        fixture.emulator.links(projectID: 24, tag: "v9").map(\.directAssetPath) == [nil, "/m.bin"])
    }
  }

  @Test func versionNeedsAUserNotAJobToken() throws {
    try Fixture.run { fixture throws in
      let current = try fixture.get("/api/v4/version")
      #expect(current.status == 200)
      #expect((current.json as? [String: Any])?["version"] as? String == "18.6.0")
      fixture.emulator.setGitLabVersion(EmulatedVersion(major: 15, minor: 8))
      #expect(
        (try fixture.get("/api/v4/version").json as? [String: Any])?["version"] as? String
          == "15.8.0")
      #expect(try fixture.get("/api/v4/metadata").status == 200)
      #expect(try fixture.get("/api/v4/version", [Fixture.job]).status == 401)
      #expect(try fixture.get("/api/v4/version", []).status == 401)
    }
  }
}
