import Testing

@testable import ReleaseLinkerCore

private let ciEnvironment = Environment([
  "CI_PROJECT_URL": "https://gitlab.example.com/mynamespace/hello",
  "CI_JOB_ID": "688",
  "CI_JOB_NAME": "build linux",
  "CI_COMMIT_TAG": "v1.7.0+rc/1",
])

private func deriver(
  _ options: DerivationOptions = DerivationOptions(),
  input: ConfigurationInput = ConfigurationInput(),
  environment: Environment = ciEnvironment, defaultJobAssets: Bool = true
) throws -> LinkDeriver {
  try LinkDeriver(
    options: options, configuration: Configuration(input: input, environment: environment),
    defaultJobAssets: defaultJobAssets)
}

private func asset(_ path: String) -> Asset {
  Asset(artifactPath: path, size: 1, sha256: nil)
}

@Suite struct LinkDeriverTests {
  @Test func defaultsMatchTheDocumentedExample() throws {
    let link = try deriver().derive(asset("bin/hello-darwin-amd64"))
    #expect(link.name == "hello-darwin-amd64")
    #expect(
      link.url
        == "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/bin/hello-darwin-amd64"
    )
    #expect(link.directAssetPath == "/bin/hello-darwin-amd64")
    #expect(link.linkType == .other)
  }

  @Test(arguments: [
    ("dist/my app.tar.gz", "dist/my%20app.tar.gz"),
    ("dist/a+b.bin", "dist/a%2Bb.bin"),
    ("dist/issue#1.txt", "dist/issue%231.txt"),
    ("dist/100%.txt", "dist/100%25.txt"),
    ("dist/résumé.pdf", "dist/r%C3%A9sum%C3%A9.pdf"),
    ("dist/a~b_c-d.e", "dist/a~b_c-d.e"),
  ])
  func urlsEncodeEachSegment(path: String, encoded: String) throws {
    let link = try deriver().derive(asset(path))
    #expect(
      link.url == "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/\(encoded)"
    )
    #expect(link.name == String(path.split(separator: "/").last ?? ""))
    let directAssetPath = try #require(link.directAssetPath)
    #expect(gitLabAcceptsPath(directAssetPath), "\(directAssetPath)")
  }

  @Test func refURLsEncodeTheRefAsOneSegment() throws {
    let link = try deriver(DerivationOptions(refURLs: true)).derive(asset("bin/app"))
    #expect(
      link.url
        == "https://gitlab.example.com/mynamespace/hello/-/jobs/artifacts/v1.7.0%2Brc%2F1/raw/bin/app?job=build%20linux"
    )
  }

  @Test func templatesUseEveryPlaceholder() throws {
    let options = DerivationOptions(
      urlTemplate: "{project_url}/x/{job_id}/{job_name}/{ref}/{tag}/{path}/{basename}/{stem}/{ext}",
      nameTemplate: "{stem} ({tag}) [{ext}] {{literal}}",
      assetPathTemplate: "/{tag}/{basename}")
    let link = try deriver(options).derive(asset("dir/app-1.2.tar.gz"))
    #expect(
      link.url
        == "https://gitlab.example.com/mynamespace/hello/x/688/build%20linux/v1.7.0%2Brc%2F1/v1.7.0%2Brc%2F1/dir/app-1.2.tar.gz/app-1.2.tar.gz/app-1.2.tar/gz"
    )
    #expect(link.name == "app-1.2.tar (v1.7.0+rc/1) [gz] {literal}")
    let path = try #require(link.directAssetPath)
    #expect(gitLabAcceptsPath(path), "\(path)")
  }

  @Test func unknownPlaceholderIsAUsageError() {
    #expect(throws: UsageError.self) {
      try deriver(DerivationOptions(nameTemplate: "{basename}-{version}"))
    }
    #expect(throws: UsageError.self) {
      try deriver(DerivationOptions(urlTemplate: "{project_url/{path}"))
    }
  }

  @Test func onlyTheSettingsTheTemplatesUseAreRequired() throws {
    let offline = Environment(["CI_PROJECT_URL": "https://g.example/p", "CI_JOB_ID": "5"])
    // No tag and no job name: the default templates do not need them.
    _ = try deriver(environment: offline)
    #expect(throws: UsageError.self) {
      try deriver(DerivationOptions(refURLs: true), environment: offline)
    }
    // A template without {project_url} or {job_id} needs neither.
    let none = try deriver(
      DerivationOptions(urlTemplate: "https://cdn.example/{path}"), environment: Environment([:]))
    #expect(none.derive(asset("a b")).url == "https://cdn.example/a%20b")
  }

  @Test func anAssetOfAnotherJobLinksToThatJobAndTheRestToTheDefaultJob() throws {
    let downloaded = Asset(artifactPath: "a.bin", size: 1, sha256: nil, jobID: "999")
    let flagged = try deriver(input: ConfigurationInput(jobID: "42"))
    #expect(flagged.derive(downloaded).url.contains("/-/jobs/999/"))
    #expect(flagged.derive(asset("b.bin")).url.contains("/-/jobs/42/"))
    // Only another job's assets: no default job id is asked for.
    let alone = try deriver(
      environment: Environment(["CI_PROJECT_URL": "https://gitlab.example.com/g/p"]),
      defaultJobAssets: false)
    #expect(alone.derive(downloaded).url.contains("/-/jobs/999/"))
  }

  @Test(arguments: [
    (ConfigurationInput(jobID: ""), [String: String](), "--job-id is empty"),
    (ConfigurationInput(jobID: "abc"), [:], "--job-id must be the numeric id of a job, not 'abc'"),
    (ConfigurationInput(), ["CI_JOB_ID": "12a"], "CI_JOB_ID must be the numeric id"),
  ])
  func anEmptyOrNonNumericJobIDIsAUsageErrorNamingIt(
    input: ConfigurationInput, variables: [String: String], sentence: String
  ) throws {
    var values = ciEnvironment.values
    values.merge(variables) { $1 }
    #expect {
      try deriver(input: input, environment: Environment(values))
    } throws: { error in
      (error as? UsageError)?.message.contains(sentence) == true
    }
  }

  @Test func refURLsInPublishNeedAnExplicitJobName() throws {
    var options = DerivationOptions(refURLs: true, jobNameFlagRequired: true)
    #expect(throws: UsageError.self) { try deriver(options) }
    let given = try deriver(options, input: ConfigurationInput(jobName: "build"))
    #expect(given.derive(asset("a.bin")).url.hasSuffix("?job=build"))
    options.jobNameFlagRequired = false
    #expect(try deriver(options).derive(asset("a.bin")).url.hasSuffix("?job=build%20linux"))
  }

  @Test func noDirectAssetPath() throws {
    let link = try deriver(DerivationOptions(directAssetPaths: false)).derive(asset("a.bin"))
    #expect(link.directAssetPath == nil)
  }

  @Test func typeRulesFirstMatchThenLinkTypeThenInference() throws {
    let options = DerivationOptions(
      linkType: .runbook, typeRules: [(.image, "**/*.bin"), (.package, "**/special.bin")])
    let d = try deriver(options)
    #expect(d.derive(asset("x/special.bin")).linkType == .image)
    #expect(d.derive(asset("x/app.deb")).linkType == .runbook)
    let inferred = try deriver(DerivationOptions(typeRules: [(.other, "*.deb")]))
    #expect(inferred.derive(asset("app.deb")).linkType == .other)
    #expect(inferred.derive(asset("x/app.deb")).linkType == .package)
  }

  @Test func badTypeRulePatternIsAUsageError() {
    #expect(throws: UsageError.self) {
      try deriver(DerivationOptions(typeRules: [(.image, "[abc")]))
    }
  }
}

@Suite struct LinkTypeInferenceTests {
  @Test(arguments: [
    ("dist/app_1.0_amd64.deb", LinkType.package), ("app.RPM", .package), ("a.AppImage", .package),
    ("a.whl", .package), ("a.nupkg", .package), ("x.jar", .package), ("x.flatpak", .package),
    ("disk.iso", .image), ("vm.qcow2", .image), ("x.vmdk", .image), ("x.raw", .image),
    ("docs/RUNBOOK.md", .runbook), ("README.txt", .runbook), ("api-docs.html", .runbook),
    ("notes.md", .other), ("readme", .other), ("app.tar.gz", .other), ("checksums.txt", .other),
  ])
  func inference(path: String, type: LinkType) {
    #expect(LinkTypeRules.inferred(for: path) == type)
  }
}

@Suite struct LinkCollisionTests {
  @Test func everyCollisionIsListedInOneError() throws {
    let d = try deriver(DerivationOptions(assetPathTemplate: "/{basename}"))
    let links = ["a/app.bin", "b/app.bin", "a/tool", "b/tool", "c/unique"].map {
      d.derive(asset($0))
    }
    let error = try #require(throws: RefusedLinksError.self) { try LinkCollisions.check(links) }
    #expect(error.exitStatus == .dataError)
    #expect(error.message.contains("name 'app.bin' from 'a/app.bin', 'b/app.bin'"))
    #expect(error.message.contains("name 'tool' from 'a/tool', 'b/tool'"))
    #expect(error.message.contains("direct_asset_path '/app.bin' from 'a/app.bin', 'b/app.bin'"))
    #expect(error.message.contains("direct_asset_path '/tool' from 'a/tool', 'b/tool'"))
    #expect(!error.message.contains("c/unique"))
    #expect(error.message.hasPrefix("4 collisions"))
    // Each colliding link says why, for the report; the unique one is not blamed.
    #expect(Set(error.problems.keys) == [0, 1, 2, 3])
    #expect(error.problems[2]?.contains("name 'tool'") == true)
    #expect(error.links.count == 5)
  }

  @Test func distinctLinksPass() throws {
    let d = try deriver()
    try LinkCollisions.check(["a/x", "b/y", "a b", "a+c"].map { d.derive(asset($0)) })
  }

  @Test func pathsThatRewriteAlikeAreToldApartWithinARun() throws {
    let d = try deriver()
    let links = d.deriveAll(["a b", "a+b", "a-b", "dir/x y.bin"].map(asset))
    let paths = links.compactMap(\.directAssetPath)
    #expect(paths.count == 4)
    #expect(Set(paths).count == 4)
    #expect(paths.allSatisfy(DirectAssetPath.isValid))
    // A path GitLab accepts as it is, and one nothing else rewrites alike, stay plain.
    #expect(paths[2] == "/a-b")
    #expect(paths[3] == "/dir/x-y.bin")
    #expect(paths[0].hasPrefix("/a-b-") && paths[1].hasPrefix("/a-b-"))
    try LinkCollisions.check(links)
  }

  @Test func pathsGivenAlikeStillCollide() throws {
    let d = try deriver(DerivationOptions(assetPathTemplate: "/same/{ext}"))
    let links = d.deriveAll(["a.bin", "b.bin"].map(asset))
    #expect(throws: RefusedLinksError.self) { try LinkCollisions.check(links) }
  }

  @Test func derivedPathsAreValidAndUniqueForAnyInputSet() throws {
    var generator = SplitMix(seed: 20_261_201)
    let alphabet = Array("ab +#%é/._-ü ")
    let d = try deriver()
    for round in 0..<40 {
      var inputs = Set<String>()
      while inputs.count < 120 {
        let length = Int(generator.next() % 12) + 1
        var text = ""
        for _ in 0..<length {
          text.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
        }
        let trimmed = text.split(separator: "/").filter { !$0.isEmpty && $0 != "." && $0 != ".." }
        if !trimmed.isEmpty { inputs.insert(trimmed.joined(separator: "/")) }
      }
      let links = d.deriveAll(inputs.sorted().map(asset))
      let paths = links.compactMap(\.directAssetPath)
      #expect(paths.allSatisfy(DirectAssetPath.isValid), "round \(round)")
      #expect(Set(paths).count == paths.count, "round \(round): \(paths.sorted())")
    }
  }
}

@Suite struct FileNameTests {
  @Test(arguments: [
    ("dir/app-1.2.tar.gz", "app-1.2.tar.gz", "app-1.2.tar", "gz"),
    ("README", "README", "README", ""),
    ("x/.env", ".env", ".env", ""),
    ("x/a.", "a.", "a", ""),
  ])
  func parts(path: String, basename: String, stem: String, ext: String) {
    let name = FileName(path)
    #expect(name.basename == basename)
    #expect(name.stem == stem)
    #expect(name.ext == ext)
  }
}

/// A small seeded generator, so a failing round can be replayed.
private struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
