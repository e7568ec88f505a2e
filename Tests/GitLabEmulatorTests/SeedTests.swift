import Foundation
import GitLabEmulator
import Testing

/// The seed values `gitlab-emulator` takes on its command line, parsed without starting anything.
@Suite struct SeedTests {
  private func parse(_ fill: (inout EmulatorSeeds.Arguments) -> Void) throws(SeedError)
    -> EmulatorSeeds
  {
    var arguments = EmulatorSeeds.Arguments()
    fill(&arguments)
    return try EmulatorSeeds(parsing: arguments)
  }

  @Test func everyFlagParsesIntoItsParts() throws {
    let archive = FileManager.default.temporaryDirectory
      .appendingPathComponent("seed-\(UUID().uuidString).zip")
    try Data("PK".utf8).write(to: archive)
    defer { try? FileManager.default.removeItem(at: archive) }
    let seeds = try parse {
      $0.projects = ["24:group/sub/app:25,26", "25:other/lib"]
      $0.releases = ["24:release/1.0"]
      $0.protectedTags = ["24:v1:2"]
      $0.privateTokens = ["glpat-a:24:developer", "glpat-b:25:guest:read_api,api"]
      $0.jobTokens = ["ci:24", "ci-7:25:7"]
      $0.artifacts = ["24:7:\(archive.path)"]
    }
    #expect(seeds.projects.map(\.id) == [24, 25])
    #expect(seeds.projects.map(\.path) == ["group/sub/app", "other/lib"])
    #expect(seeds.projects.map(\.jobTokenAllowlist) == [[25, 26], []])
    #expect(seeds.releases.map(\.tag) == ["release/1.0"])
    // Only the first colon separates the project from the tag.
    #expect(seeds.protectedTags.map(\.tag) == ["v1:2"])
    #expect(seeds.privateTokens.map(\.role) == [.developer, .guest])
    #expect(seeds.privateTokens.map(\.scopes) == [["api"], ["read_api", "api"]])
    #expect(seeds.jobTokens.map(\.jobID) == [1, 7])
    #expect(seeds.artifacts.map(\.path) == [archive.path])
  }

  @Test func releaseAndServerFlagsParse() throws {
    let seeds = try parse {
      $0.projects = ["24:group/app"]
      $0.milestones = ["24:1.0", "24:Q3: late"]
      $0.tags = ["24:v1.0"]
      $0.branches = ["24:develop"]
      $0.gitLabVersion = "15.8"
      $0.rateLimit = "20/2"
    }
    #expect(seeds.milestones.map(\.tag) == ["1.0", "Q3: late"])
    #expect(seeds.tags.map(\.tag) == ["v1.0"] && seeds.branches.map(\.tag) == ["develop"])
    #expect(seeds.gitLabVersion == EmulatedVersion(major: 15, minor: 8))
    #expect(seeds.rateLimit == RateLimiter(limit: 20, period: 2))
    for (fill, flag) in [
      ({ (a: inout EmulatorSeeds.Arguments) in a.gitLabVersion = "fifteen" }, "--gitlab-version"),
      ({ (a: inout EmulatorSeeds.Arguments) in a.rateLimit = "20" }, "--rate-limit"),
      ({ (a: inout EmulatorSeeds.Arguments) in a.milestones = ["7:x"] }, "--milestone"),
    ] {
      #expect {
        _ = try parse(fill)
      } throws: { error in
        (error as? SeedError)?.message.hasPrefix(flag) == true
      }
    }
  }

  @Test(arguments: [
    ("--project", "group/app", "--project expects ID:PATH"),
    ("--project", "24:", "--project expects ID:PATH"),
    ("--project", "24:g/a:x", "allowed project ids must be numbers"),
    ("--release", "24", "--release expects ID:TAG"),
    ("--release", "99:v1", "no project 99; add it with --project 99:GROUP/NAME"),
    ("--protected-tag", "v1", "--protected-tag expects ID:TAG"),
    ("--private-token", "secret-value:24:owner", "role must be guest, reporter, developer or"),
    ("--private-token", "secret-value:x:developer", "--private-token expects TOKEN:ID:ROLE"),
    ("--job-token", "secret-value", "--job-token expects TOKEN:ID"),
    ("--job-token", "secret-value:24:x", "--job-token expects TOKEN:ID"),
    ("--artifacts", "24:7", "--artifacts expects ID:JOB_ID:FILE"),
    ("--artifacts", "24:7:/no/such/file.zip", "cannot read '/no/such/file.zip'"),
  ])
  func anUnusableValueIsRefusedWithASentence(flag: String, value: String, message: String) {
    do {
      _ = try parse { arguments in
        arguments.projects = ["24:group/app"]
        switch flag {
        case "--project": arguments.projects.append(value)
        case "--release": arguments.releases.append(value)
        case "--protected-tag": arguments.protectedTags.append(value)
        case "--private-token": arguments.privateTokens.append(value)
        case "--job-token": arguments.jobTokens.append(value)
        default: arguments.artifacts.append(value)
        }
      }
      Issue.record("'\(value)' was accepted")
    } catch {
      #expect(error.message.contains(message), "\(error.message)")
      #expect(!error.message.contains("secret-value"))
    }
  }

  @Test func applyingSeedsGivesOneTokenItsRoleInEachProject() throws {
    let seeds = try parse {
      $0.projects = ["24:group/app", "25:other/lib"]
      $0.releases = ["24:v1.0"]
      $0.privateTokens = ["dev:24:developer:read_api", "dev:25:maintainer"]
    }
    try withEmulator { emulator in
      seeds.apply(to: emulator)
      #expect(emulator.hasRelease(projectID: 24, tag: "v1.0"))
      for project in ["24", "25"] {
        let response = try HTTP.request(
          emulator.baseURL, "GET", "/api/v4/projects/\(project)",
          headers: [("PRIVATE-TOKEN", "dev")])
        #expect(response.status == 200)
      }
      // The scopes of the first mention hold for the token: read_api only reads.
      let write = try HTTP.request(
        emulator.baseURL, "POST", "/api/v4/projects/25/releases",
        headers: [("PRIVATE-TOKEN", "dev"), HTTP.formHeader], body: HTTP.form([("tag_name", "v2")]))
      #expect(write.status == 403)
    }
  }
}
