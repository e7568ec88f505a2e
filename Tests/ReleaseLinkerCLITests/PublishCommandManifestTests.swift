import Foundation
import GitLabEmulator
import Testing

/// A release built by several jobs: each build job writes a manifest with `scan --manifest`, one
/// release job publishes them all with `publish --manifest`, through the real binary and the emulator.
@Suite struct PublishCommandManifestTests {
  /// The platforms of the matrix, the job that builds each, and the files it makes.
  static let builds: [(platform: String, jobID: Int, files: [String])] = [
    ("linux-amd64", 101, ["hello-linux-amd64", "hello_1.0_amd64.deb"]),
    ("darwin-arm64", 102, ["hello-darwin-arm64"]),
    ("windows-amd64", 103, ["hello-windows-amd64.exe"]),
  ]

  /// Runs one platform's build job: makes its files, then `scan --manifest` with its job id.
  static func build(
    _ platform: String, jobID: Int, files: [String], in world: PublishFixture, byte: UInt8 = 0x61
  ) throws {
    for file in files { try world.file("dist/\(platform)/\(file)", byte: byte) }
    let scan = try world.run(
      ["scan", "dist/\(platform)", "--manifest", "manifests/\(platform).json"], jobID: jobID)
    try #require(scan.status == 0, "\(scan.stderr)")
  }

  @Test func threeManifestsPublishIntoOneReleaseEachLinkPointingAtItsOwnJob() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      for build in Self.builds {
        try Self.build(build.platform, jobID: build.jobID, files: build.files, in: world)
      }
      // The release job has only the manifests (and its own notes), not the built files.
      try FileManager.default.removeItem(at: world.directory.appendingPathComponent("dist"))
      try world.file("notes/CHANGELOG.md")

      let result = try world.run(
        ["publish", "notes", "--manifest", "manifests/*.json", "--output", "json"])
      #expect(result.status == 0, "\(result.stderr)")
      var expected: [String: String] = [
        "CHANGELOG.md": PublishFixture.artifactURL("notes/CHANGELOG.md", jobID: 688)
      ]
      for build in Self.builds {
        for file in build.files {
          expected[file] = PublishFixture.artifactURL(
            "dist/\(build.platform)/\(file)", jobID: build.jobID)
        }
      }
      let links = world.links
      #expect(Dictionary(uniqueKeysWithValues: links.map { ($0.name, $0.url) }) == expected)
      #expect(links.first { $0.name == "hello_1.0_amd64.deb" }?.linkType == "package")
      let report = try PublishReport(result.stdout)
      #expect(report.summary["create"] == 5)
      // The report carries what the build jobs measured.
      #expect(report.values("sha256").allSatisfy { $0.count == 64 })
      #expect(Set(report.values("artifact_path")).contains("dist/darwin-arm64/hello-darwin-arm64"))

      // A re-run of the release job finds every link in place.
      emulator.resetStats()
      let again = try world.run(["publish", "notes", "--manifest", "manifests/*.json"])
      #expect(again.status == 0, "\(again.stderr)")
      #expect(emulator.stats.writes == 0)
      #expect(world.links == links)

      // Linux is rebuilt by a retried job (a new id): only its links change.
      let linux = Self.builds[0]
      try Self.build(linux.platform, jobID: 104, files: linux.files, in: world)
      emulator.resetStats()
      let rebuilt = try world.run(
        ["publish", "notes", "--manifest", "manifests/*.json", "--output", "json"])
      #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
      #expect(try PublishReport(rebuilt.stdout).summary["update"] == linux.files.count)
      #expect(try PublishReport(rebuilt.stdout).summary["unchanged"] == 3)
      #expect(emulator.stats.writes == linux.files.count)
      for link in world.links {
        let before = try #require(links.first { $0.id == link.id })
        if linux.files.contains(link.name) {
          #expect(
            link.url == PublishFixture.artifactURL("dist/linux-amd64/\(link.name)", jobID: 104))
        } else {
          #expect(link == before)
        }
      }
    }
  }

  @Test func collisionsAcrossManifestsAndPathsAreAllListedBeforeAnyRequest() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      // Two platforms that forgot to put the platform in their file names.
      for (platform, jobID) in [("linux", 101), ("macos", 102)] {
        try world.file("dist/\(platform)/hello")
        let scan = try world.run(
          [
            "scan", "dist/\(platform)", "--manifest", "m/\(platform).json", "--name-template",
            "hello",
          ],
          jobID: jobID)
        try #require(scan.status == 0, "\(scan.stderr)")
      }
      try world.file("extra/hello")
      emulator.resetStats()

      let result = try world.run(["publish", "extra", "--manifest", "m/*.json"])
      #expect(result.status == 65, "\(result.stdout)\(result.stderr)")
      #expect(
        result.stderr.contains(
          "name 'hello' from 'extra/hello', 'dist/linux/hello' (manifest 'm/linux.json'), 'dist/macos/hello' (manifest 'm/macos.json')"
        ), "\(result.stderr)")
      #expect(emulator.stats.requests == 0)
      #expect(world.links.isEmpty)
    }
  }

  @Test func aBadManifestStopsTheRunNamingTheFile() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("dist/good/app")
      try #require(try world.run(["scan", "dist/good", "--manifest", "m/good.json"]).status == 0)
      try world.file("dist/other/app2")
      let otherProject = try world.run(
        ["scan", "dist/other", "--manifest", "bad/project.json"],
        extra: ["CI_PROJECT_ID": "21", "CI_PROJECT_PATH": "someone/else"])
      try #require(otherProject.status == 0, "\(otherProject.stderr)")
      let otherTag = try world.run(
        ["scan", "dist/other", "--manifest", "bad/tag.json"], extra: ["CI_COMMIT_TAG": "v9.9.9"])
      try #require(otherTag.status == 0, "\(otherTag.stderr)")
      let good = try String(
        contentsOf: world.directory.appendingPathComponent("m/good.json"), encoding: .utf8)
      try Data(good.prefix(good.count / 2).utf8).write(
        to: world.directory.appendingPathComponent("bad/truncated.json"))
      try Data(
        good.replacingOccurrences(
          of: "\"release_linker_manifest\" : 1", with: "\"release_linker_manifest\" : 7"
        ).utf8
      )
      .write(to: world.directory.appendingPathComponent("bad/version.json"))
      emulator.resetStats()

      let cases: [(file: String, says: String)] = [
        ("bad/project.json", "project 21 ('someone/else')"),
        ("bad/tag.json", "tag 'v9.9.9'"),
        ("bad/truncated.json", "not a JSON object"),
        ("bad/version.json", "version 7"),
      ]
      for (file, says) in cases {
        let result = try world.run(["publish", "--manifest", "m/*.json", "--manifest", file])
        #expect(result.status == 65, "\(file): \(result.stderr)")
        #expect(result.stderr.contains("'\(file)'"), "\(result.stderr)")
        #expect(result.stderr.contains(says), "\(result.stderr)")
      }
      // Read before anything else: no artifacts archive is downloaded for a run that stops.
      let nothing = try world.run([
        "publish", "--artifacts-job", "688", "--manifest", "manifests/*.json", "--prune",
      ])
      #expect(nothing.status == 65, "\(nothing.stderr)")
      #expect(nothing.stderr.contains("No file matches --manifest 'manifests/*.json'"))
      #expect(emulator.stats.requests == 0)
      #expect(world.links.isEmpty)
    }
  }

  @Test func aManifestNeedsTheTagAndNamesItsJob() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("dist/app")
      let untagged = try world.run(
        ["scan", "dist", "--manifest", "m.json"], extra: ["CI_COMMIT_TAG": ""])
      #expect(untagged.status == 64)
      #expect(untagged.stderr.contains("--tag") && untagged.stderr.contains("CI_COMMIT_TAG"))
      #expect(!FileManager.default.fileExists(atPath: world.directory.path + "/m.json"))

      let scan = try world.run(["scan", "dist", "--manifest", "m.json"], jobID: 555)
      #expect(scan.status == 0, "\(scan.stderr)")
      let object = try #require(
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: world.directory.appendingPathComponent("m.json")))
          as? [String: Any])
      #expect(object["release_linker_manifest"] as? Int == 1)
      #expect(object["tag"] as? String == PublishFixture.tag)
      #expect((object["job"] as? [String: Any])?["id"] as? String == "555")
      let project = try #require(object["project"] as? [String: Any])
      #expect(project["id"] as? String == "20")
      #expect(project["path"] as? String == PublishFixture.projectPath)
      let entry = try #require((object["links"] as? [[String: Any]])?.first)
      #expect(entry["job_id"] as? String == "555")
      #expect(entry["url"] as? String == PublishFixture.artifactURL("dist/app", jobID: 555))
    }
  }
}
