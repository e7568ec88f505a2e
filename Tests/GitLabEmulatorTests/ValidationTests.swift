import GitLabEmulator
import Testing

/// gitlab-api.md, "Validation (400)": parameter errors first, then the model's messages.
@Suite struct ValidationTests {
  @Test(arguments: [
    ([("url", "https://x/a")], "name is missing"),
    ([("name", "a")], "url is missing"),
    ([], "name is missing, url is missing"),
  ])
  func postWithoutNameOrURLIsAParameterError(form: [(String, String)], message: String) throws {
    try Fixture.run { fixture throws in
      let response = try fixture.send("POST", Fixture.links, form: form)
      #expect(response.status == 400)
      #expect(response.text == #"{"error":"\#(message)"}"#)
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").isEmpty)
    }
  }

  @Test func putWithNeitherNameNorURLIsAParameterError() throws {
    try Fixture.run { fixture throws in
      let id = fixture.emulator.addLink(projectID: 24, tag: "v1.0", name: "n", url: "https://x/n")
      let response = try fixture.send(
        "PUT", "\(Fixture.links)/\(id)", form: [("link_type", "image")])
      #expect(response.status == 400)
      #expect(
        response.text
          == #"{"error":"name, url are missing, at least one parameter must be provided"}"#)
    }
  }

  @Test func anUnknownLinkTypeIsAParameterError() throws {
    try Fixture.run { fixture throws in
      let response = try fixture.send(
        "POST", Fixture.links,
        form: [("name", "n"), ("url", "https://x/n"), ("link_type", "binary")])
      #expect(response.status == 400)
      #expect(response.text == #"{"error":"link_type does not have a valid value"}"#)
      for type in ["other", "runbook", "image", "package"] {
        let accepted = try fixture.send(
          "POST", Fixture.links,
          form: [("name", type), ("url", "https://x/\(type)"), ("link_type", type)])
        #expect(accepted.status == 201)
      }
    }
  }

  @Test func aNonIntegerLinkIDIsAParameterError() throws {
    try Fixture.run { fixture throws in
      for method in ["GET", "PUT", "DELETE"] {
        let response = try HTTP.request(
          fixture.emulator.baseURL, method, "\(Fixture.links)/abc",
          headers: [Fixture.dev, HTTP.formHeader], body: HTTP.form([("name", "n")]))
        #expect(response.status == 400)
        #expect(response.text == #"{"error":"link_id is invalid"}"#)
      }
    }
  }

  @Test func perPageZeroIsAParameterError() throws {
    try Fixture.run { fixture throws in
      let response = try fixture.get("\(Fixture.links)?per_page=0")
      #expect(response.status == 400)
      #expect(response.text == #"{"error":"per_page has a value not allowed"}"#)
    }
  }

  @Test func parameterErrorsComeBeforeAuthentication() throws {
    try Fixture.run { fixture throws in
      for headers in [[], [("PRIVATE-TOKEN", "wrong")], [Fixture.guest]] {
        let response = try fixture.send(
          "POST", "/api/v4/projects/999/releases/none/assets/links", form: [], headers)
        #expect(response.status == 400)
        #expect(response.text == #"{"error":"name is missing, url is missing"}"#)
      }
    }
  }

  @Test func duplicatesWithinAReleaseAreRefusedExactly() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addLink(
        projectID: 24, tag: "v1.0", name: "app", url: "https://x/app", directAssetPath: "/bin/app")
      let duplicate = try fixture.createLink(name: "app", url: "https://x/app", path: "/bin/app")
      #expect(duplicate.status == 400)
      #expect(
        duplicate.text
          == #"{"message":["Url has already been taken","Name has already been taken","Filepath has already been taken"]}"#
      )
      // Compared exactly: another case is another value; another release is another scope.
      #expect(
        try fixture.createLink(name: "App", url: "https://x/App", path: "/bin/App").status == 201)
      #expect(
        try fixture.createLink(
          name: "app", url: "https://x/app", path: "/bin/app", project: "26", tag: "v3.0"
        ).status == 201)
    }
  }

  @Test func putMayKeepItsOwnValuesButNotTakeAnothers() throws {
    try Fixture.run { fixture throws in
      let first = fixture.emulator.addLink(
        projectID: 24, tag: "v1.0", name: "one", url: "https://x/1")
      fixture.emulator.addLink(projectID: 24, tag: "v1.0", name: "two", url: "https://x/2")
      let same = try fixture.send(
        "PUT", "\(Fixture.links)/\(first)", form: [("name", "one"), ("url", "https://x/1")])
      #expect(same.status == 200)
      let taken = try fixture.send("PUT", "\(Fixture.links)/\(first)", form: [("name", "two")])
      #expect(taken.status == 400)
      #expect(taken.text == #"{"message":["Name has already been taken"]}"#)
    }
  }

  @Test func blankValuesAndForbiddenSchemesAreModelErrorsInGitLabsOrder() throws {
    try Fixture.run { fixture throws in
      let blank = try fixture.send("POST", Fixture.links, form: [("name", " "), ("url", "")])
      #expect(blank.status == 400)
      #expect(blank.text == #"{"message":["Url can't be blank","Name can't be blank"]}"#)

      let scheme = try fixture.send(
        "POST", Fixture.links,
        form: [("name", ""), ("url", "file:///etc/passwd"), ("filepath", "bad")])
      #expect(scheme.status == 400)
      #expect(
        scheme.text
          == #"{"message":["Url is blocked: Only allowed schemes are http, https, ftp","Name can't be blank","Filepath is in an invalid format"]}"#
      )
      for url in ["http://x/a", "HTTPS://x/b", "ftp://x/c"] {
        #expect(try fixture.createLink(name: url, url: url).status == 201)
      }
      for url in ["javascript:alert(1)", "ssh://x/d", "no scheme"] {
        let refused = try fixture.createLink(name: url, url: url)
        #expect(
          refused.text
            == #"{"message":["Url is blocked: Only allowed schemes are http, https, ftp"]}"#)
      }
    }
  }

  @Test func theURLIsStrippedOfSurroundingSpaces() throws {
    try Fixture.run { fixture throws in
      let response = try fixture.createLink(name: "n", url: "  https://x/spaced \t")
      #expect(response.status == 201)
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").first?.url == "https://x/spaced")
      // The stripped value is what uniqueness compares.
      let again = try fixture.createLink(name: "m", url: "https://x/spaced ")
      #expect(again.text == #"{"message":["Url has already been taken"]}"#)
    }
  }

  @Test(arguments: [
    "/binaries/awesome-app.dmg", "/sub_tr__ee.ex..ample-2--1/v99.com", "/a/b", "/x.y1", "/abc",
  ])
  func validFilepathsAreAccepted(path: String) throws {
    try Fixture.run { fixture throws in
      let response = try fixture.createLink(name: "n", url: "https://x/n", path: path)
      #expect(response.status == 201, "\(path): \(response.text)")
    }
  }

  @Test(arguments: [
    "/ab", "/binaries/app.dmg-", "binaries/app.dmg", "//x.com", "/binarïes/âwésome.dmg", "/a b.txt",
    "/x+y.bin", "", "/a//b.bin", "/abc/", "/ab.",
  ])
  func invalidFilepathsAreRefused(path: String) throws {
    try Fixture.run { fixture throws in
      let response = try fixture.createLink(name: "n", url: "https://x/n", path: path)
      #expect(response.status == 400, "\(path)")
      #expect(response.text == #"{"message":["Filepath is in an invalid format"]}"#, "\(path)")
    }
  }

  @Test func filepathsLongerThan128CharactersAreRefused() throws {
    try Fixture.run { fixture throws in
      let fits = "/" + String(repeating: "a", count: 127)
      #expect(try fixture.createLink(name: "fits", url: "https://x/fits", path: fits).status == 201)
      let long = "/" + String(repeating: "b", count: 128)
      let response = try fixture.createLink(name: "long", url: "https://x/long", path: long)
      #expect(response.status == 400)
      #expect(response.text == #"{"message":["Filepath is too long (maximum is 128 characters)"]}"#)
    }
  }
}
