import GitLabEmulator
import Testing

/// The five link routes and the link entity (gitlab-api.md, "Routes" and "The link entity").
@Suite struct LinkRoutesTests {
  @Test func postCreatesTheLinkAndAnswers201WithTheEntity() throws {
    try Fixture.run { fixture throws in
      let response = try fixture.createLink(
        name: "app.dmg", url: "https://cdn.example.com/app.dmg", path: "/binaries/app.dmg")
      #expect(response.status == 201)
      #expect(response.header("Content-Type") == "application/json")
      #expect(
        response.text
          == Fixture.entity(
            id: 1, name: "app.dmg", url: "https://cdn.example.com/app.dmg",
            path: "/binaries/app.dmg"))
      #expect(
        fixture.emulator.links(projectID: 24, tag: "v1.0")
          == [
            EmulatedLink(
              id: 1, name: "app.dmg", url: "https://cdn.example.com/app.dmg",
              directAssetPath: "/binaries/app.dmg", linkType: "other")
          ])
    }
  }

  @Test func getListsTheLinksNewestFirst() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addLink(projectID: 24, tag: "v1.0", name: "a", url: "https://x/a")
      fixture.emulator.addLink(projectID: 24, tag: "v1.0", name: "b", url: "https://x/b")
      let response = try fixture.get(Fixture.links)
      #expect(response.status == 200)
      #expect(
        response.text
          == "[\(Fixture.entity(id: 2, name: "b", url: "https://x/b")),"
          + "\(Fixture.entity(id: 1, name: "a", url: "https://x/a"))]")
      #expect(response.header("X-Total") == "2")
    }
  }

  @Test func getOneLinkAnswersTheEntity() throws {
    try Fixture.run { fixture throws in
      let id = fixture.emulator.addLink(
        projectID: 24, tag: "v1.0", name: "doc", url: "https://x/doc", linkType: "runbook")
      let response = try fixture.get("\(Fixture.links)/\(id)")
      #expect(response.status == 200)
      #expect(
        response.text == Fixture.entity(id: id, name: "doc", url: "https://x/doc", type: "runbook"))
    }
  }

  @Test func putUpdatesAndAnswersTheUpdatedLink() throws {
    try Fixture.run { fixture throws in
      let id = fixture.emulator.addLink(
        projectID: 24, tag: "v1.0", name: "old", url: "https://x/old")
      let response = try fixture.send(
        "PUT", "\(Fixture.links)/\(id)",
        form: [("name", "new"), ("url", "https://x/new"), ("link_type", "package")])
      #expect(response.status == 200)
      #expect(
        response.text == Fixture.entity(id: id, name: "new", url: "https://x/new", type: "package"))
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").map(\.name) == ["new"])
    }
  }

  @Test func deleteAnswers200WithTheDeletedLink() throws {
    try Fixture.run { fixture throws in
      let id = fixture.emulator.addLink(
        projectID: 24, tag: "v1.0", name: "gone", url: "https://x/g")
      let response = try fixture.delete("\(Fixture.links)/\(id)")
      #expect(response.status == 200)
      #expect(response.text == Fixture.entity(id: id, name: "gone", url: "https://x/g"))
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").isEmpty)
      #expect(try fixture.get("\(Fixture.links)/\(id)").status == 404)
    }
  }

  @Test func anUnencodedSlashInAProjectPathOrTagMatchesNoRoute() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addRelease(projectID: 24, tag: "release/1.0")
      let byPath = try fixture.get("/api/v4/projects/group/app/releases/v1.0/assets/links")
      #expect(byPath.status == 404)
      #expect(byPath.text == #"{"error":"404 Not Found"}"#)
      let byTag = try fixture.get("/api/v4/projects/24/releases/release/1.0/assets/links")
      #expect(byTag.status == 404)
      #expect(byTag.text == #"{"error":"404 Not Found"}"#)

      let encoded = try fixture.get(
        "/api/v4/projects/group%2Fapp/releases/release%2F1.0/assets/links")
      #expect(encoded.status == 200)
      #expect(encoded.text == "[]")
    }
  }

  @Test func otherSpecialCharactersInATagArePercentDecoded() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addRelease(projectID: 24, tag: "v1.0+build #2")
      let created = try fixture.createLink(
        name: "x", url: "https://x/x", path: "/x.bin", tag: "v1.0%2Bbuild%20%232")
      #expect(created.status == 201)
      #expect(
        created.text
          == Fixture.entity(
            id: 1, name: "x", url: "https://x/x", path: "/x.bin", tag: "v1.0+build%20%232"))
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0+build #2").count == 1)
    }
  }

  @Test func projectsAreFoundByIdOrFullPathButNotByBareName() throws {
    try Fixture.run { fixture throws in
      #expect(try fixture.get(Fixture.links).status == 200)
      #expect(
        try fixture.get("/api/v4/projects/group%2Fapp/releases/v1.0/assets/links").status == 200)
      let bare = try fixture.get("/api/v4/projects/app/releases/v1.0/assets/links")
      #expect(bare.status == 404)
      #expect(bare.text == #"{"message":"404 Project Not Found"}"#)
    }
  }

  @Test func unknownRoutesAndMethodsAnswerGrapes404() throws {
    try Fixture.run { fixture throws in
      for (method, path) in [
        ("GET", "/api/v4/nothing"), ("PATCH", Fixture.links),
        ("GET", "/api/v4/projects/24/releases/v1.0/assets"),
        ("POST", "\(Fixture.links)/1"),
      ] {
        let response = try HTTP.request(
          fixture.emulator.baseURL, method, path, headers: [Fixture.dev])
        #expect(response.status == 404, "\(method) \(path)")
        #expect(response.text == #"{"error":"404 Not Found"}"#)
      }
    }
  }

  @Test func parametersArriveFormEncodedAsJSONOrInTheQuery() throws {
    try Fixture.run { fixture throws in
      let form = try fixture.send(
        "POST", Fixture.links, form: [("name", "form name"), ("url", "https://x/form?a=1&b=2")])
      #expect(form.status == 201)
      let json = try fixture.send(
        "POST", Fixture.links,
        json:
          #"{"name":"json \"name\"","url":"https://x/json","direct_asset_path":"/j/file.txt","link_type":"image"}"#
      )
      #expect(json.status == 201)
      let query = try HTTP.request(
        fixture.emulator.baseURL, "POST",
        "\(Fixture.links)?name=query%20name&url=https%3A%2F%2Fx%2Fq",
        headers: [Fixture.dev])
      #expect(query.status == 201)
      #expect(
        fixture.emulator.links(projectID: 24, tag: "v1.0")
          == [
            EmulatedLink(
              id: 1, name: "form name", url: "https://x/form?a=1&b=2", directAssetPath: nil,
              linkType: "other"),
            EmulatedLink(
              id: 2, name: "json \"name\"", url: "https://x/json", directAssetPath: "/j/file.txt",
              linkType: "image"),
            EmulatedLink(
              id: 3, name: "query name", url: "https://x/q", directAssetPath: nil, linkType: "other"
            ),
          ])
    }
  }

  @Test func theEntityHasExactlyFiveKeysAndDirectAssetURLFallsBackToURL() throws {
    try Fixture.run { fixture throws in
      let response = try fixture.createLink(name: "plain", url: "https://x/plain")
      let object = try #require(response.json as? [String: Any])
      #expect(Set(object.keys) == ["id", "name", "url", "direct_asset_url", "link_type"])
      #expect(object["direct_asset_url"] as? String == "https://x/plain")
    }
  }

  @Test func directAssetURLUsesTheEmulatorsOwnURLByDefault() throws {
    try withEmulator { emulator throws in
      emulator.addProject(id: 7, path: "deep/group/project")
      emulator.addRelease(projectID: 7, tag: "v9")
      emulator.addPrivateToken("t", roles: [7: .maintainer])
      let response = try HTTP.request(
        emulator.baseURL, "POST", "/api/v4/projects/7/releases/v9/assets/links",
        headers: [("PRIVATE-TOKEN", "t"), HTTP.formHeader],
        body: HTTP.form([("name", "n"), ("url", "ftp://x/n"), ("filepath", "/dir/n.tar.gz")]))
      #expect(response.status == 201)
      let object = try #require(response.json as? [String: Any])
      #expect(
        object["direct_asset_url"] as? String
          == "\(emulator.baseURL)/deep/group/project/-/releases/v9/downloads/dir/n.tar.gz")
    }
  }

  @Test func directAssetPathWinsOverFilepath() throws {
    try Fixture.run { fixture throws in
      let response = try fixture.send(
        "POST", Fixture.links,
        form: [
          ("name", "n"), ("url", "https://x/n"), ("filepath", "/old/path.bin"),
          ("direct_asset_path", "/new/path.bin"),
        ])
      #expect(response.status == 201)
      #expect(
        fixture.emulator.links(projectID: 24, tag: "v1.0").first?.directAssetPath == "/new/path.bin"
      )
    }
  }

  @Test func putWithoutAPathLeavesThePathAndWithOneReplacesIt() throws {
    try Fixture.run { fixture throws in
      let id = fixture.emulator.addLink(
        projectID: 24, tag: "v1.0", name: "n", url: "https://x/n", directAssetPath: "/keep/me.bin")
      #expect(
        try fixture.send("PUT", "\(Fixture.links)/\(id)", form: [("name", "renamed")]).status == 200
      )
      #expect(
        fixture.emulator.links(projectID: 24, tag: "v1.0").first?.directAssetPath == "/keep/me.bin")
      let moved = try fixture.send(
        "PUT", "\(Fixture.links)/\(id)", form: [("name", "renamed"), ("filepath", "/moved/me.bin")])
      #expect(moved.status == 200)
      #expect(
        fixture.emulator.links(projectID: 24, tag: "v1.0").first?.directAssetPath == "/moved/me.bin"
      )
    }
  }

  @Test func putWithoutLinkTypeResetsItToOther() throws {
    try Fixture.run { fixture throws in
      let id = fixture.emulator.addLink(
        projectID: 24, tag: "v1.0", name: "n", url: "https://x/n", linkType: "package")
      let response = try fixture.send("PUT", "\(Fixture.links)/\(id)", form: [("name", "n2")])
      #expect(response.status == 200)
      #expect(
        response.text == Fixture.entity(id: id, name: "n2", url: "https://x/n", type: "other"))
    }
  }
}
