import Foundation
import GitLabEmulator
import Testing

/// The `links` commands run as a user would, against the emulator.
@Suite(.serialized) struct LinksCommandTests {
  static let token = "glpat-links-maintainer-5ecret"

  /// Project 24 (`namespace/project`) with release v0.1, as in GitLab's API docs.
  func seed(_ emulator: GitLabEmulator) {
    emulator.addProject(id: 24, path: "namespace/project")
    emulator.addRelease(projectID: 24, tag: "v0.1")
    emulator.addPrivateToken(Self.token, roles: [24: .maintainer])
  }

  func environment(
    _ emulator: GitLabEmulator, project: String = "24", tag: String = "v0.1",
    token: String? = LinksCommandTests.token
  ) -> [String: String] {
    var environment = [
      "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": project, "CI_COMMIT_TAG": tag,
    ]
    environment["GITLAB_TOKEN"] = token
    return environment
  }

  func json(_ result: CLIResult) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
  }

  @Test func theAPIDocsExamplesRoundTrip() throws {
    try withEmulator { emulator in
      seed(emulator)
      let env = environment(emulator)
      let created = try CLIRunner.run(
        [
          "links", "create", "--name", "hellodarwin-amd64", "--url",
          "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/bin/hello-darwin-amd64",
          "--direct-asset-path", "/bin/hellodarwin-amd64", "-o", "json",
        ], environment: env)
      #expect(created.status == 0, "\(created.stderr)")
      let link = try #require(try json(created) as? [String: Any])
      let id = try #require(link["id"] as? Int)
      #expect(link["name"] as? String == "hellodarwin-amd64")
      #expect(
        (link["direct_asset_url"] as? String)?.hasSuffix(
          "/namespace/project/-/releases/v0.1/downloads/bin/hellodarwin-amd64") == true)
      #expect(link["link_type"] as? String == "other")

      let fetched = try CLIRunner.run(["links", "get", String(id)], environment: env)
      #expect(fetched.status == 0, "\(fetched.stderr)")
      #expect(fetched.stdout.contains("hellodarwin-amd64"))
      #expect(fetched.stdout.contains("/bin/hellodarwin-amd64"))

      let updated = try CLIRunner.run(
        ["links", "update", String(id), "--name", "new name", "--link-type", "runbook"],
        environment: env)
      #expect(updated.status == 0, "\(updated.stderr)")
      let stored = emulator.links(projectID: 24, tag: "v0.1")
      #expect(stored.count == 1)
      #expect(stored.first?.name == "new name")
      #expect(stored.first?.linkType == "runbook")
      // Fields not given are kept: the URL and the direct asset path.
      #expect(stored.first?.url.hasSuffix("/bin/hello-darwin-amd64") == true)
      #expect(stored.first?.directAssetPath == "/bin/hellodarwin-amd64")

      let listed = try CLIRunner.run(["links", "list", "-o", "json"], environment: env)
      #expect(listed.status == 0, "\(listed.stderr)")
      let array = try #require(try json(listed) as? [[String: Any]])
      #expect(array.map { $0["name"] as? String } == ["new name"])

      let deleted = try CLIRunner.run(
        ["links", "delete", String(id), "-o", "json"], environment: env)
      #expect(deleted.status == 0, "\(deleted.stderr)")
      #expect((try json(deleted) as? [String: Any])?["name"] as? String == "new name")
      #expect(emulator.links(projectID: 24, tag: "v0.1").isEmpty)

      let gone = try CLIRunner.run(["links", "get", String(id)], environment: env)
      #expect(gone.status == 1)
      #expect(gone.stderr.contains("404 Not found"))
      // A missing link is named as such; only a missing release suggests creating one.
      #expect(gone.stderr.contains("has no link \(id)"))
      #expect(!gone.stderr.contains("--create-release"))

      var otherTag = env
      otherTag["CI_COMMIT_TAG"] = "v9.9"
      let noRelease = try CLIRunner.run(["links", "list"], environment: otherTag)
      #expect(noRelease.status == 1)
      #expect(noRelease.stderr.contains("--create-release"))
    }
  }

  @Test func aProjectPathAndATagWithSlashAndPlusReachTheRightRelease() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 42, path: "group/sub/project")
      emulator.addRelease(projectID: 42, tag: "release/v1.0+build.5")
      emulator.addPrivateToken(Self.token, roles: [42: .developer])
      let env = environment(emulator, project: "group/sub/project", tag: "release/v1.0+build.5")
      let created = try CLIRunner.run(
        [
          "links", "create", "--name", "app.deb", "--url", "https://example.com/app.deb",
          "--link-type", "package",
        ],
        environment: env)
      #expect(created.status == 0, "\(created.stderr)")
      #expect(emulator.links(projectID: 42, tag: "release/v1.0+build.5").map(\.name) == ["app.deb"])
      #expect(
        emulator.requestLog.contains {
          $0.rawPath
            == "/api/v4/projects/group%2Fsub%2Fproject/releases/release%2Fv1.0%2Bbuild.5/assets/links"
        })
      let listed = try CLIRunner.run(["links", "list"], environment: env)
      #expect(listed.status == 0, "\(listed.stderr)")
      #expect(listed.stdout.contains("app.deb"))
      #expect(listed.stdout.contains("package"))
    }
  }

  @Test func aListOf250LinksFollowsEveryPage() throws {
    try withEmulator { emulator in
      seed(emulator)
      for index in 1...250 {
        emulator.addLink(
          projectID: 24, tag: "v0.1", name: "asset-\(index)", url: "https://example.com/\(index)")
      }
      let env = environment(emulator)
      let listed = try CLIRunner.run(["links", "list", "-o", "json"], environment: env)
      #expect(listed.status == 0, "\(listed.stderr)")
      let array = try #require(try json(listed) as? [[String: Any]])
      #expect(array.count == 250)
      #expect(Set(array.compactMap { $0["name"] as? String }).count == 250)
      let pages = emulator.requestLog.filter { $0.rawPath.hasSuffix("/assets/links") }
      #expect(pages.count == 3)

      let table = try CLIRunner.run(["links", "list"], environment: env)
      #expect(table.status == 0)
      for index in [1, 100, 101, 250] {
        #expect(table.stdout.contains("asset-\(index) "), "asset-\(index) missing")
      }
      #expect(table.stdout.contains("250 links"))
    }
  }

  @Test func gitLabsValidationErrorsAreShownInItsWords() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.addLink(projectID: 24, tag: "v0.1", name: "taken", url: "https://example.com/taken")
      let env = environment(emulator)
      let duplicate = try CLIRunner.run(
        ["links", "create", "--name", "taken", "--url", "https://example.com/taken"],
        environment: env)
      #expect(duplicate.status == 1)
      #expect(duplicate.stderr.contains("Url has already been taken"))
      #expect(duplicate.stderr.contains("Name has already been taken"))

      let badScheme = try CLIRunner.run(
        ["links", "create", "--name", "y", "--url", "file:///etc/passwd"], environment: env)
      #expect(badScheme.status == 1)
      #expect(badScheme.stderr.contains("Only allowed schemes are http, https, ftp"))
      #expect(emulator.links(projectID: 24, tag: "v0.1").count == 1)
    }
  }

  @Test(arguments: [
    ("/ab", "shorter than 4 characters"), ("bin/app.dmg", "must start with '/'"),
    ("/binaries/app.dmg-", "its last character '-' is not a letter or digit"),
    ("/a b.txt", "it contains ' '"), ("/bin//app", "it contains '//'"),
    ("/binarïes/a.dmg", "it contains 'ï'"),
    ("/" + String(repeating: "a", count: 128), "129 characters long"),
  ])
  func aDirectAssetPathGitLabWouldRefuseIsNamedBeforeSending(path: String, rule: String) throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.addLink(projectID: 24, tag: "v0.1", name: "one", url: "https://example.com/one")
      let linkID = try #require(emulator.links(projectID: 24, tag: "v0.1").first?.id)
      let env = environment(emulator)
      for command in [
        ["links", "create", "--name", "x", "--url", "https://example.com/x"],
        ["links", "update", String(linkID)],
      ] {
        let result = try CLIRunner.run(command + ["--direct-asset-path", path], environment: env)
        #expect(result.status == 64, "\(command): \(result.stderr)")
        #expect(result.stderr.contains(rule), "\(command): \(result.stderr)")
      }
      #expect(emulator.stats.requests == 0)
      // The same rules let a valid path through to GitLab.
      let valid = try CLIRunner.run(
        [
          "links", "create", "--name", "x", "--url", "https://example.com/x",
          "--direct-asset-path", "/sub_tr__ee.ex..ample-2--1/v99.com",
        ], environment: env)
      #expect(valid.status == 0, "\(valid.stderr)")
    }
  }

  @Test func aMissingTokenIsAUsageErrorNamingBothVariables() throws {
    try withEmulator { emulator in
      seed(emulator)
      let result = try CLIRunner.run(
        ["links", "list"], environment: environment(emulator, token: nil))
      #expect(result.status == 64)
      #expect(result.stderr.contains("GITLAB_TOKEN"))
      #expect(result.stderr.contains("CI_JOB_TOKEN"))
      #expect(emulator.stats.requests == 0)
    }
  }

  @Test func aBadTokenIsRefusedWith77() throws {
    try withEmulator { emulator in
      seed(emulator)
      let result = try CLIRunner.run(
        ["links", "list"], environment: environment(emulator, token: "glpat-wrong-token"))
      #expect(result.status == 77)
      #expect(result.stderr.contains("401"))
      #expect(!result.allOutput.contains("glpat-wrong-token"))
    }
  }

  @Test func anotherProjectsJobTokenGets77WithTheAllowlistHint() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.addProject(id: 99, path: "other/tooling")
      emulator.addJobToken("job-token-of-other-project", projectID: 99, jobID: 5)
      var env = environment(emulator, token: nil)
      env["CI_JOB_TOKEN"] = "job-token-of-other-project"
      let result = try CLIRunner.run(["links", "list"], environment: env)
      #expect(result.status == 77)
      #expect(result.stderr.contains("allowlist"))
      #expect(result.stderr.contains("CI/CD job token"))
      #expect(!result.allOutput.contains("job-token-of-other-project"))
    }
  }

  @Test func twoUnavailableAnswersThenSuccessIsASuccess() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.addLink(projectID: 24, tag: "v0.1", name: "a", url: "https://example.com/a")
      let html = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
      emulator.script(
        method: "GET", pathSuffix: "/assets/links",
        [.status(503, body: html), .status(503, body: html)])
      let result = try CLIRunner.run(
        ["links", "list", "-o", "json"], environment: environment(emulator))
      #expect(result.status == 0, "\(result.stderr)")
      #expect((try json(result) as? [[String: Any]])?.count == 1)
      let statuses = emulator.requestLog.filter { $0.rawPath.hasSuffix("/assets/links") }.map(
        \.status)
      #expect(statuses == [503, 503, 200])
    }
  }

  @Test func unavailableAfterTheRetriesExitsWith69() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(
        method: "GET", pathSuffix: "/assets/links",
        [.status(502, body: "Bad Gateway"), .status(502, body: "Bad Gateway")])
      let result = try CLIRunner.run(
        ["links", "list", "--retries", "1"], environment: environment(emulator))
      #expect(result.status == 69)
      #expect(result.stderr.contains("502"))
      #expect(result.stderr.contains("Bad Gateway"))
    }
  }

  @Test func aSlowAnswerTimesOutWith69() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(
        method: "GET", pathSuffix: "/assets/links", [.delay(milliseconds: 4000)])
      let result = try CLIRunner.run(
        ["links", "list", "--timeout", "1", "--retries", "0"], environment: environment(emulator))
      #expect(result.status == 69)
      #expect(result.stderr.contains("timed out"))
      #expect(result.stderr.contains("--timeout"))
    }
  }

  @Test func aCreateWhoseAnswerIsLostIsReportedNotResent() throws {
    try withEmulator { emulator in
      seed(emulator)
      emulator.script(method: "POST", pathSuffix: "/assets/links", [.resetAfterCommit])
      let result = try CLIRunner.run(
        ["links", "create", "--name", "a", "--url", "https://example.com/a"],
        environment: environment(emulator))
      #expect(result.status == 69)
      #expect(result.stderr.contains("may have been carried out"))
      #expect(emulator.requestLog.filter { $0.method == "POST" }.count == 1)
      #expect(emulator.links(projectID: 24, tag: "v0.1").map(\.name) == ["a"])
    }
  }

  @Test func anUnreachableServerExitsWith69() throws {
    var env = ["CI_PROJECT_ID": "24", "CI_COMMIT_TAG": "v0.1", "GITLAB_TOKEN": Self.token]
    // Port 9 (discard) is closed on loopback: the connection is refused.
    env["CI_API_V4_URL"] = "http://127.0.0.1:9/api/v4"
    let result = try CLIRunner.run(["links", "list", "--retries", "0"], environment: env)
    #expect(result.status == 69)
    #expect(result.stderr.contains("refused"))
  }

  @Test func theTokenNeverAppearsEvenWhenVerbose() throws {
    try withEmulator { emulator in
      seed(emulator)
      let env = environment(emulator)
      let created = try CLIRunner.run(
        ["links", "create", "--name", "a", "--url", "https://example.com/a", "--verbose"],
        environment: env)
      #expect(created.status == 0, "\(created.stderr)")
      let listed = try CLIRunner.run(
        ["links", "list", "--verbose", "-o", "json"], environment: env)
      #expect(listed.status == 0)
      let refused = try CLIRunner.run(
        ["links", "get", "12345", "--verbose"],
        environment: environment(emulator, token: Self.token + "x"))
      #expect(refused.status == 77)
      for result in [created, listed, refused] {
        #expect(!result.allOutput.contains(Self.token))
        #expect(!result.allOutput.contains("5ecret"))
        #expect(result.stderr.contains("PRIVATE-TOKEN: [REDACTED]"))
        #expect(result.stderr.contains("> POST") || result.stderr.contains("> GET"))
      }
      // stdout stays one JSON document: the trace goes to stderr.
      #expect((try json(listed) as? [[String: Any]])?.count == 1)
    }
  }

  @Test func helpShowsExamples() throws {
    for command in ["list", "get", "create", "update", "delete"] {
      let result = try CLIRunner.run(["links", command, "--help"])
      #expect(result.status == 0)
      #expect(result.stdout.contains("Examples:"), "links \(command)")
      #expect(result.stdout.contains("release-linker links \(command)"), "links \(command)")
    }
  }

  @Test func aNonNumericLinkIDIsAUsageError() throws {
    let result = try CLIRunner.run(["links", "get", "abc"])
    #expect(result.status == 64)
  }
}
