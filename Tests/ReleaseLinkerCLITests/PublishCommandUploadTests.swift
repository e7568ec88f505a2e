import Foundation
import GitLabEmulator
import Testing

/// `publish --upload generic`: the assets end up in the generic package registry exactly once, each
/// linked to its package file, and a re-run sends nothing.
@Suite struct PublishUploadTests {
  /// Three assets: two files under bin/ and one entry of a tar.gz.
  private func threeAssets(_ fixture: UploadFixture) throws -> [String] {
    try fixture.file("bin/app-linux-amd64", String(repeating: "linux binary ", count: 5000))
    try fixture.file("bin/app_1.0_amd64.deb", "a debian package")
    try fixture.file("staging/docs/README.txt", "read me\n")
    try fixture.tarGz("docs.tar.gz", of: "staging")
    return ["bin", "--archive", "docs.tar.gz"]
  }

  @Test func filesAndAnArchiveEntryAreUploadedAndLinkedToTheirPackageFiles() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      let sources = try threeAssets(fixture)
      let result = try fixture.run(["publish"] + sources + ["--upload", "generic", "-o", "json"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(!result.allOutput.contains(PublishFixture.jobToken))

      let files = fixture.packageFiles
      #expect(
        files.map(\.fileName).sorted() == ["README.txt", "app-linux-amd64", "app_1.0_amd64.deb"])
      for file in files {
        let local =
          file.fileName == "README.txt"
          ? "staging/docs/README.txt" : "bin/\(file.fileName)"
        let bytes = try Data(contentsOf: fixture.directory.appendingPathComponent(local))
        let stored = emulator.packageFile(
          projectID: PublishFixture.projectID, name: UploadFixture.packageName,
          version: UploadFixture.packageVersion, file: file.fileName)
        #expect(stored == Array(bytes), "\(file.fileName)")
      }
      let links = fixture.links
      #expect(links.count == 3)
      for link in links {
        let file = try #require(files.first { $0.fileName == link.name })
        #expect(link.url == fixture.downloadURL(file))
        #expect(link.linkType == "package")
      }
      #expect(
        Set(links.compactMap(\.directAssetPath))
          == ["/bin/app-linux-amd64", "/bin/app_1.0_amd64.deb", "/docs/README.txt"])
      let report = try PublishReport(result.stdout)
      #expect(report.uploadValues("action") == ["upload", "upload", "upload"])
      #expect(report.values("sha256").allSatisfy { $0.count == 64 })
    }
  }

  @Test func aReRunUploadsNothingAndWritesNothing() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      let arguments = ["publish"] + (try threeAssets(fixture)) + ["--upload", "generic"]
      let first = try fixture.run(arguments)
      #expect(first.status == 0, "\(first.stderr)")
      let filesBefore = fixture.packageFiles
      emulator.resetStats()

      let again = try fixture.run(arguments + ["-o", "json"])
      #expect(again.status == 0, "\(again.stderr)")
      #expect(emulator.stats.uploads == 0)
      #expect(emulator.stats.writes == 0)
      #expect(fixture.packageFiles == filesBefore)
      let report = try PublishReport(again.stdout)
      #expect(report.uploadValues("action") == ["unchanged", "unchanged", "unchanged"])
      #expect(report.values("action") == ["unchanged", "unchanged", "unchanged"])
    }
  }

  @Test func oneChangedFileIsOneUploadAndOneLinkUpdate() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      let arguments = ["publish"] + (try threeAssets(fixture)) + ["--upload", "generic"]
      #expect(try fixture.run(arguments).status == 0)
      let before = try #require(fixture.links.first { $0.name == "app_1.0_amd64.deb" })
      try fixture.file("bin/app_1.0_amd64.deb", "a rebuilt debian package")
      emulator.resetStats()

      let result = try fixture.run(arguments + ["-o", "json"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(emulator.stats.uploads == 1)
      #expect(fixture.requests("PUT", endingWith: "/assets/links/\(before.id)").count == 1)
      #expect(fixture.requests("POST", endingWith: "/assets/links").isEmpty)
      let after = try #require(fixture.links.first { $0.id == before.id })
      let newest = try #require(fixture.packageFiles.last { $0.fileName == "app_1.0_amd64.deb" })
      #expect(after.url == fixture.downloadURL(newest))
      #expect(newest.size == "a rebuilt debian package".utf8.count)
      // The job token's user is a developer: the older file stays, and the run says so.
      #expect(fixture.packageFiles.count { $0.fileName == "app_1.0_amd64.deb" } == 2)
      let report = try PublishReport(result.stdout)
      #expect(report.uploadValues("action") == ["unchanged", "upload", "unchanged"])
      #expect(result.stderr.contains("kept the older package file"))
    }
  }

  @Test func aMaintainerTokenDeletesTheSupersededFile() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      emulator.addPrivateToken(
        "glpat-maintainer-secret", roles: [PublishFixture.projectID: .maintainer])
      let maintainer = ["GITLAB_TOKEN": "glpat-maintainer-secret"]
      try fixture.file("bin/app", "first build")
      #expect(
        try fixture.run(["publish", "bin", "--upload", "generic"], extra: maintainer).status == 0)
      try fixture.file("bin/app", "second build")
      let result = try fixture.run(["publish", "bin", "--upload", "generic"], extra: maintainer)
      #expect(result.status == 0, "\(result.stderr)")
      let files = fixture.packageFiles
      #expect(files.count == 1)
      #expect(files.first?.size == "second build".utf8.count)
      #expect(fixture.links.map(\.url) == files.map(fixture.downloadURL))
      #expect(result.stdout.contains("deleted the older package file"))
      #expect(!result.allOutput.contains("glpat-maintainer-secret"))
    }
  }

  @Test func planComparesWithTheRegistryAndSendsNothing() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      try fixture.file("bin/one", "one")
      #expect(try fixture.run(["publish", "bin", "--upload", "generic"]).status == 0)
      try fixture.file("bin/two", "two")
      emulator.resetStats()
      let result = try fixture.run(["plan", "bin", "--upload", "generic", "-o", "json"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(emulator.stats.writes == 0)
      let report = try PublishReport(result.stdout)
      #expect(report.uploadValues("file_name") == ["one", "two"])
      #expect(report.uploadValues("action") == ["unchanged", "upload"])
      #expect(report.values("action") == ["unchanged", "create"])
    }
  }

  @Test func aGroupRefusingDuplicatesStillGetsTheNewBytes() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      emulator.addPrivateToken(
        "glpat-maintainer-secret", roles: [PublishFixture.projectID: .maintainer])
      let maintainer = ["GITLAB_TOKEN": "glpat-maintainer-secret"]
      emulator.rejectDuplicatePackages(projectID: PublishFixture.projectID)
      try fixture.file("bin/app", "first build")
      #expect(
        try fixture.run(["publish", "bin", "--upload", "generic"], extra: maintainer).status == 0)
      try fixture.file("bin/app", "second build")
      let result = try fixture.run(["publish", "bin", "--upload", "generic"], extra: maintainer)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(fixture.packageFiles.map(\.size) == ["second build".utf8.count])
      #expect(fixture.links.map(\.url) == fixture.packageFiles.map(fixture.downloadURL))
    }
  }

  @Test func aGroupRefusingDuplicatesAndATokenThatMayNotDeleteFailWithAReason() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      emulator.rejectDuplicatePackages(projectID: PublishFixture.projectID)
      try fixture.file("bin/app", "first build")
      #expect(try fixture.run(["publish", "bin", "--upload", "generic"]).status == 0)
      let linked = fixture.links
      try fixture.file("bin/app", "second build")
      let result = try fixture.run(["publish", "bin", "--upload", "generic"])
      #expect(result.status == 1)
      #expect(result.stdout.contains("Duplicate package is not allowed"))
      // The link still points at the file that is there.
      #expect(fixture.links == linked)
    }
  }

  @Test func uploadsIntoANewPackageDoNotRaceToCreateIt() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      emulator.failConcurrentPackageCreation()
      for index in 1...8 { try fixture.file("bin/part-\(index)", "part \(index)") }
      let result = try fixture.run(["publish", "bin", "--upload", "generic", "--concurrency", "8"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(fixture.packageFiles.count == 8)
      #expect(emulator.stats.uploads == 8)
      #expect(fixture.links.count == 8)
    }
  }

  @Test func aFileOverTheLimitStopsTheRunBeforeAnyRequest() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      try fixture.file("bin/small", "small")
      try fixture.file("bin/large", String(repeating: "x", count: 3000))
      let result = try fixture.run([
        "publish", "bin", "--upload", "generic", "--max-file-size", "2KiB",
      ])
      #expect(result.status == 65)
      #expect(result.stderr.contains("'bin/large' (3000 bytes)"))
      #expect(emulator.stats.requests == 0)
    }
  }

  @Test func theRegistrysOwnLimitIsReported() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      emulator.setPackageFileSizeLimit(bytes: 1000)
      try fixture.file("bin/large", String(repeating: "x", count: 3000))
      let result = try fixture.run(["publish", "bin", "--upload", "generic"])
      #expect(result.status == 1)
      #expect(result.stdout.contains("File is too large"))
      #expect(fixture.packageFiles.isEmpty)
      #expect(fixture.links.isEmpty)
    }
  }

  @Test func namesTheRegistryRefusesAreRewrittenAndCollisionsStopTheRun() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      try fixture.file("bin/my app", "one")
      let result = try fixture.run(["publish", "bin", "--upload", "generic"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(fixture.packageFiles.map(\.fileName) == ["my-app"])

      try fixture.file("more/linux/tool", "a")
      try fixture.file("more/darwin/tool", "b")
      let clash = try fixture.run([
        "publish", "more", "--upload", "generic", "--name-template", "{path}",
      ])
      #expect(clash.status == 65)
      #expect(
        clash.stderr.contains("package file name 'tool' from 'more/darwin/tool', 'more/linux/tool'")
      )

      let badName = try fixture.run([
        "publish", "bin", "--upload", "generic", "--package-name", "a/b",
      ])
      #expect(badName.status == 64)
    }
  }

  @Test func theUploadFlagsAskForUploadMode() throws {
    let result = try CLIRunner.run(["publish", "dist", "--package-name", "x"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--package-name applies to --upload generic only"))
    let template = try CLIRunner.run([
      "publish", "dist", "--upload", "generic", "--url-template", "x",
    ])
    #expect(template.status == 64)
  }
}
