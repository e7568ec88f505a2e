import Foundation
import GitLabEmulator
import Testing

/// Issue 12, "Links must point where the files are": every link `publish` sends names the job and
/// the path that hold the file, or the run stops before sending anything.
extension PublishCommandTests {
  @Test(arguments: [
    (["--job-id", ""], [String: String](), "--job-id is empty"),
    (["--job-id", "abc"], [:], "--job-id must be the numeric id of a job, not 'abc'"),
    // `--job-id $BUILD_JOB_ID --prune` with the variable empty and unquoted.
    (["--job-id", "--prune"], [:], "quote it"),
    ([], ["CI_JOB_ID": "abc"], "CI_JOB_ID must be the numeric id of a job"),
    (["--artifacts-job", ""], [:], "--artifacts-job is empty"),
    (["--artifacts-job", "12 "], [:], "--artifacts-job must be the numeric id"),
  ])
  func anEmptyOrNonNumericJobIDStopsTheRunBeforeAnyRequest(
    flags: [String], variables: [String: String], sentence: String
  ) throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      for command in ["publish", "plan"] {
        let result = try world.run([command, "bin", "--create-release"] + flags, extra: variables)
        #expect(result.status == 64, "\(command) \(flags): \(result.stderr)")
        #expect(result.stderr.contains(sentence), "\(command) \(flags): \(result.stderr)")
      }
      #expect(emulator.stats.requests == 0)
      #expect(world.links.isEmpty)
    }
  }

  @Test func refURLsNeedTheNameOfTheJobThatBuiltTheArtifacts() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/hello")
      // CI_JOB_NAME is "release", the release job itself: never the builder.
      for command in ["publish", "plan"] {
        let refused = try world.run([command, "bin", "--ref-urls"])
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("--job-name") && refused.stderr.contains("CI_JOB_NAME"))
      }
      #expect(emulator.stats.requests == 0)

      let named = try world.run(["publish", "bin", "--ref-urls", "--job-name", "build"])
      #expect(named.status == 0, "\(named.stderr)")
      #expect(
        world.links.map(\.url) == [
          "https://gitlab.example.com/mynamespace/hello/-/jobs/artifacts/v1.7.0/raw/bin/hello?job=build"
        ])
    }
  }

  @Test func entriesOfALocalArchiveAreNotLinkedToTheJobArtifactsURL() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("src/app.bin")
      try world.tool(["bsdtar", "-czf", "../dist.tar.gz", "app.bin"], in: "src")

      for arguments in [["publish"], ["plan"], ["publish", "--ref-urls", "--job-name", "build"]] {
        let refused = try world.run(arguments + ["--archive", "dist.tar.gz"])
        #expect(refused.status == 64, "\(arguments): \(refused.stderr)")
        #expect(refused.stderr.contains("--artifacts-job"))
        #expect(refused.stderr.contains("--url-template"))
      }
      #expect(emulator.stats.requests == 0)

      let served = try world.run([
        "publish", "--archive", "dist.tar.gz", "--url-template",
        "https://downloads.example.com/{tag}/{path}",
      ])
      #expect(served.status == 0, "\(served.stderr)")
      #expect(world.links.map(\.url) == ["https://downloads.example.com/v1.7.0/app.bin"])
    }
  }

  @Test func localPathsLinkToTheJobIDAndDownloadedEntriesToTheirJob() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/local-tool")
      try world.file("build/packaged.deb")
      try world.tool(["zip", "-q", "../artifacts.zip", "packaged.deb"], in: "build")
      emulator.setArtifacts(
        projectID: 20, jobID: 700,
        fileAt: world.directory.appendingPathComponent("artifacts.zip").path)

      let result = try world.run(["publish", "bin", "--artifacts-job", "700", "--job-id", "650"])
      #expect(result.status == 0, "\(result.stderr)")
      let urls = Dictionary(uniqueKeysWithValues: world.links.map { ($0.name, $0.url) })
      #expect(urls["local-tool"] == PublishFixture.artifactURL("bin/local-tool", jobID: 650))
      #expect(urls["packaged.deb"] == PublishFixture.artifactURL("packaged.deb", jobID: 700))

      // Without --job-id, the local file is this job's own.
      let defaulted = try world.run([
        "plan", "bin", "--artifacts-job", "700", "--output", "json",
      ])
      let report = try PublishReport(defaulted.stdout)
      let local = try #require(report.links.first { $0["name"] as? String == "local-tool" })
      #expect(local["url"] as? String == PublishFixture.artifactURL("bin/local-tool", jobID: 688))
    }
  }

  @Test(arguments: ["downloads/hello", "acme/downloads", "downloads/downloads"])
  func aProjectWhosePathSaysDownloadsReRunsWithoutWrites(projectPath: String) throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, projectPath: projectPath)
      defer { world.cleanUp() }
      for name in ["hello-linux-amd64", "hello_1.0_amd64.deb", "notes/README.md"] {
        try world.file("dist/\(name)")
      }
      let template = ["--name-template", "{basename} ({tag})"]
      #expect(try world.run(["publish", "dist"] + template).status == 0)
      let first = world.links
      #expect(first.count == 3)
      emulator.resetStats()

      let again = try world.run(["publish", "dist"] + template)
      #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
      #expect(emulator.stats.writes == 0, "\(again.stdout)")

      // A new build job: every link is updated in place, matched by its path.
      let moved = try world.run(["publish", "dist", "--output", "json"] + template, jobID: 689)
      #expect(moved.status == 0, "\(moved.stdout)\(moved.stderr)")
      #expect(try PublishReport(moved.stdout).values("action") == ["update", "update", "update"])
      #expect(Set(world.links.map(\.id)) == Set(first.map(\.id)))
      #expect(world.links.allSatisfy { $0.url.contains("/-/jobs/689/") })
    }
  }
}
