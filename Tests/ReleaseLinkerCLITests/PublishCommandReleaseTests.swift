import Foundation
import GitLabEmulator
import Testing

/// `publish --create-release` and `--update-release`: the release itself, through the real binary
/// against the emulator.
@Suite struct PublishCommandReleaseTests {
  private func notes(_ world: PublishFixture, _ text: String, file: String = "NOTES.md") throws {
    try text.write(
      to: world.directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
  }

  private func release(_ emulator: GitLabEmulator) -> EmulatedRelease? {
    emulator.release(projectID: PublishFixture.projectID, tag: PublishFixture.tag)
  }

  private func writes(_ emulator: GitLabEmulator) -> [String] {
    emulator.requestLog.filter { $0.method != "GET" }.map { "\($0.method) \($0.rawPath)" }
  }

  @Test func aNewReleaseWith150LinksComesInOneWriteRequest() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      for index in 0..<150 { try world.file("dist/file-\(index).bin") }
      try notes(world, "First release.\n")

      let result = try world.run([
        "publish", "dist", "--create-release", "--release-name", "Hello 1.7.0",
        "--release-notes", "NOTES.md", "--output", "json",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(writes(emulator) == ["POST /api/v4/projects/20/releases"])
      #expect(emulator.stats.requests == 2)  // the look at the release, then the create
      #expect(world.links.count == 150)
      #expect(world.links.allSatisfy { $0.directAssetPath?.hasPrefix("/dist/file-") == true })
      #expect(release(emulator)?.name == "Hello 1.7.0")
      #expect(release(emulator)?.description == "First release.\n")
      let report = try PublishReport(result.stdout)
      #expect(report.values("status") == Array(repeating: "done", count: 150))
      #expect(report.values("id").allSatisfy { $0 != "null" })
      #expect(
        result.stderr.contains(
          "created the release v1.7.0, named 'Hello 1.7.0'\n  with 150 links in the same request"))

      emulator.resetStats()
      let again = try world.run(["publish", "dist", "--create-release"])
      #expect(again.status == 0, "\(again.stderr)")
      #expect(emulator.stats.writes == 0)
    }
  }

  @Test func linksBeyondWhatOneCreateCarriesGoThroughTheLinksAPI() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      for index in 0..<1_003 { try world.file("dist/f\(index)") }
      let result = try world.run(["publish", "dist", "--create-release", "--no-checksums"])
      #expect(result.status == 0, "\(result.stderr)")
      let posts = writes(emulator)
      #expect(posts.first == "POST /api/v4/projects/20/releases")
      #expect(posts.dropFirst().allSatisfy { $0.hasSuffix("/releases/v1.7.0/assets/links") })
      #expect(posts.count == 1 + 3)
      #expect(world.links.count == 1_003)
    }
  }

  @Test func aLostAnswerToTheCreateIsSettledByReadingTheRelease() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      for index in 0..<5 { try world.file("bin/tool-\(index)") }
      emulator.script(method: "POST", pathSuffix: "/projects/20/releases", [.resetAfterCommit])

      let result = try world.run(["publish", "bin", "--create-release"])
      #expect(result.status == 0, "\(result.stderr)")
      // The release was read after the lost answer, and no link was sent on its own.
      let log = emulator.requestLog.map { "\($0.method) \($0.rawPath) \($0.status)" }
      let reset = try #require(log.firstIndex(of: "POST /api/v4/projects/20/releases 0"))
      #expect(log[(reset + 1)...].contains("GET /api/v4/projects/20/releases/v1.7.0 200"))
      #expect(
        !log.contains { $0.hasPrefix("POST /api/v4/projects/20/releases/v1.7.0/assets/links") })
      // What ends up on the release is each link once.
      #expect(world.links.count == 5)
      #expect(Set(world.links.map(\.name)).count == 5)
      #expect(result.stdout.contains("5 unchanged"))
    }
  }

  @Test func aCreateThatCertainlyFailedIsSentAgain() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      emulator.script(method: "POST", pathSuffix: "/projects/20/releases", [.resetBeforeHandling])

      let result = try world.run(["publish", "bin", "--create-release"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(emulator.hasRelease(projectID: 20, tag: "v1.7.0"))
      #expect(world.links.count == 1)
    }
  }

  @Test func updateReplacesTheNotesAndARerunSendsNoWrite() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      try notes(world, "## Changes\n\n- faster\n")
      let arguments = [
        "publish", "bin", "--update-release", "--release-name", "Tool 1.7", "--release-notes",
        "NOTES.md",
      ]
      let first = try world.run(arguments)
      #expect(first.status == 0, "\(first.stderr)")
      #expect(writes(emulator).contains("PUT /api/v4/projects/20/releases/v1.7.0"))
      #expect(release(emulator)?.name == "Tool 1.7")
      #expect(release(emulator)?.description == "## Changes\n\n- faster\n")
      #expect(first.stdout.contains("updated the release v1.7.0: name, description"))

      emulator.resetStats()
      let again = try world.run(arguments)
      #expect(again.status == 0, "\(again.stderr)")
      #expect(emulator.stats.writes == 0)
      #expect(again.stdout.contains("the release v1.7.0 is up to date"))
    }
  }

  @Test func theAppendedBlockStaysSingleAfterThreeRunsAndThePersonsTextStays() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let person = "Written by a person.\n\nKeep this paragraph."
      emulator.addProject(id: PublishFixture.projectID, path: PublishFixture.projectPath)
      emulator.addRelease(
        projectID: PublishFixture.projectID, tag: PublishFixture.tag, description: person)
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      let arguments = [
        "publish", "bin", "--update-release", "--release-notes", "NOTES.md", "--notes-mode",
        "append",
      ]
      try notes(world, "Assets: tool\n")
      for _ in 0..<3 { #expect(try world.run(arguments).status == 0) }
      let description = release(emulator)?.description ?? ""
      #expect(description.hasPrefix(person + "\n\n"))
      #expect(description.components(separatedBy: "<!-- release-linker:begin").count == 2)
      #expect(description.components(separatedBy: "<!-- release-linker:end -->").count == 2)
      #expect(description.contains("Assets: tool"))

      // New notes replace the block, in place, and nothing else.
      try notes(world, "Assets: tool, tool2\n")
      emulator.resetStats()
      #expect(try world.run(arguments).status == 0)
      #expect(emulator.stats.writes == 1)
      let updated = release(emulator)?.description ?? ""
      #expect(updated.hasPrefix(person + "\n\n"))
      #expect(updated.contains("Assets: tool, tool2") && !updated.contains("Assets: tool\n"))
      #expect(updated.components(separatedBy: "<!-- release-linker:begin").count == 2)
    }
  }

  @Test func prependPutsTheBlockFirstAndKeepNeverChangesTheDescription() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      emulator.addProject(id: PublishFixture.projectID, path: PublishFixture.projectPath)
      emulator.addRelease(
        projectID: PublishFixture.projectID, tag: PublishFixture.tag, description: "By hand.")
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      try notes(world, "Generated.")

      let keep = try world.run([
        "publish", "bin", "--update-release", "--release-notes", "NOTES.md", "--notes-mode", "keep",
      ])
      #expect(keep.status == 0, "\(keep.stderr)")
      #expect(release(emulator)?.description == "By hand.")
      #expect(
        !writes(emulator).contains {
          $0.hasPrefix("PUT /api/v4/projects/20/releases/v1.7.0") && !$0.contains("/assets/")
        })

      let prepend = [
        "publish", "bin", "--update-release", "--release-notes", "NOTES.md", "--notes-mode",
        "prepend",
      ]
      #expect(try world.run(prepend).status == 0)
      let description = release(emulator)?.description ?? ""
      #expect(description.hasPrefix("<!-- release-linker:begin"))
      #expect(description.hasSuffix("\n\nBy hand."))
      emulator.resetStats()
      #expect(try world.run(prepend).status == 0)
      #expect(emulator.stats.writes == 0)
    }
  }

  @Test func milestonesAndTheReleaseDateAreKeptInStep() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      emulator.addMilestone(projectID: 20, title: "1.7")
      emulator.addMilestone(projectID: 20, title: "Q3")
      try world.file("bin/tool")
      let arguments = [
        "publish", "bin", "--update-release", "--milestone", "1.7", "--milestone", "Q3",
        "--released-at", "2026-03-15T09:00:00+01:00",
      ]
      let first = try world.run(arguments)
      #expect(first.status == 0, "\(first.stderr)")
      #expect(release(emulator)?.milestones == ["1.7", "Q3"])
      #expect(release(emulator)?.releasedAt == "2026-03-15T08:00:00.000Z")

      emulator.resetStats()
      // The same instant written in UTC, the milestones in another order: nothing to send.
      let again = try world.run([
        "publish", "bin", "--update-release", "--milestone", "Q3", "--milestone", "1.7",
        "--released-at", "2026-03-15T08:00:00Z",
      ])
      #expect(again.status == 0, "\(again.stderr)")
      #expect(emulator.stats.writes == 0)
    }
  }

  @Test func aMilestoneThatDoesNotExistIsGitLabsErrorWithExit1() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      let result = try world.run(["publish", "bin", "--update-release", "--milestone", "2.0"])
      #expect(result.status == 1, "\(result.allOutput)")
      #expect(result.stdout.contains("Milestone(s) not found: 2.0"))
      #expect(result.stdout.contains("failed to update the release v1.7.0: milestones"))
      // The links are still made to match.
      #expect(world.links.count == 1)
    }
  }

  @Test func aMissingTagIsCreatedFromRefWithItsMessage() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      emulator.addBranch(projectID: 20, name: "main")
      try world.file("bin/tool")

      let noRef = try world.run(["publish", "bin", "--create-release"])
      #expect(noRef.status == 1, "\(noRef.allOutput)")
      #expect(noRef.stderr.contains("Ref is not specified"))
      #expect(!emulator.hasRelease(projectID: 20, tag: "v1.7.0"))

      let created = try world.run([
        "publish", "bin", "--create-release", "--ref", "main", "--tag-message", "Release 1.7.0",
      ])
      #expect(created.status == 0, "\(created.allOutput)")
      #expect(emulator.tags(projectID: 20)?["v1.7.0"] == .some("Release 1.7.0"))
      #expect(world.links.count == 1)
    }
  }

  @Test func aDryRunSaysWhatWouldHappenToTheReleaseAndSendsNothing() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator, release: false)
      defer { world.cleanUp() }
      for index in 0..<3 { try world.file("bin/t\(index)") }
      let plan = try world.run(["plan", "bin", "--create-release"])
      #expect(plan.status == 0, "\(plan.stderr)")
      #expect(
        plan.stdout.hasPrefix(
          "would create the release v1.7.0\n  with 3 links in the same request\n"))
      #expect(emulator.stats.writes == 0)

      emulator.addRelease(projectID: 20, tag: "v1.7.0")
      let update = try world.run(["plan", "bin", "--update-release", "--release-name", "New"])
      #expect(update.stdout.contains("would update the release v1.7.0: name"))
      #expect(emulator.stats.writes == 0)
    }
  }

  @Test func badReleaseOptionsAreRefusedBeforeAnyRequest() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/tool")
      let date = try world.run(["publish", "bin", "--update-release", "--released-at", "soon"])
      #expect(date.status == 64)
      #expect(date.stderr.contains("--released-at"))
      let mode = try world.run(["publish", "bin", "--update-release", "--notes-mode", "append"])
      #expect(mode.status == 64)
      #expect(mode.stderr.contains("--release-notes"))
      let unknown = try world.run(["publish", "bin", "--notes-mode", "merge"])
      #expect(unknown.status == 64)
      #expect(emulator.stats.requests == 0)
    }
  }
}
