import Foundation
import GitLabEmulator
import Testing

/// Uploads that break on the way: the run converges on one stored file per asset, and an upload
/// whose answer was lost is recognised by listing the package, never sent a second time.
@Suite struct PublishUploadFaultTests {
  static let upload = "/packages/generic/hello/v1.7.0/app-linux-amd64"

  private func publishThrough(_ faults: [ScriptedFault]) throws -> (
    CLIResult, UploadFixture, [LoggedRequest]
  ) {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      try fixture.file("bin/app-linux-amd64", String(repeating: "0123456789", count: 20_000))
      try fixture.file("bin/app.deb", "deb")
      emulator.script(method: "PUT", pathSuffix: Self.upload, faults)
      let result = try fixture.run([
        "publish", "bin", "--upload", "generic", "-o", "json", "--verbose",
      ])
      #expect(!result.allOutput.contains(PublishFixture.jobToken))
      return (result, fixture, fixture.requests("PUT", endingWith: Self.upload))
    }
  }

  @Test func aResetInTheMiddleOfAnUploadIsSentAgainAndStoredOnce() throws {
    let (result, fixture, puts) = try publishThrough([.resetDuringBody(afterBytes: 50_000)])
    defer { fixture.cleanUp() }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(puts.count == 2)
    let stored = fixture.packageFiles.filter { $0.fileName == "app-linux-amd64" }
    #expect(stored.count == 1)
    #expect(stored.first?.size == 200_000)
    #expect(fixture.links.count == 2)
    #expect(
      try PublishReport(result.stdout).uploadValues("uploads").sorted() == ["1", "2"],
      "\(result.stdout)")
  }

  @Test func aLostAnswerIsFoundInThePackageAndNotUploadedTwice() throws {
    let (result, fixture, puts) = try publishThrough([.resetAfterCommit])
    defer { fixture.cleanUp() }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(puts.count == 1, "\(result.stderr)")
    let stored = fixture.packageFiles.filter { $0.fileName == "app-linux-amd64" }
    #expect(stored.count == 1)
    let link = try #require(fixture.links.first { $0.name == "app-linux-amd64" })
    #expect(link.url == fixture.downloadURL(try #require(stored.first)))
  }

  @Test func aGatewayErrorAfterTheUploadIsSettledTheSameWay() throws {
    let (result, fixture, puts) = try publishThrough([
      .status(502, body: "<html><body>502 Bad Gateway</body></html>")
    ])
    defer { fixture.cleanUp() }
    #expect(result.status == 0, "\(result.stderr)")
    // The 502 was served instead of storing the file: listing shows it missing, so it is sent again.
    #expect(puts.count == 2)
    #expect(fixture.packageFiles.count { $0.fileName == "app-linux-amd64" } == 1)
  }

  @Test func anUploadThatKeepsFailingIsCountedAsAFailedLinkEverywhere() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      try fixture.file("bin/app-linux-amd64", "elf")
      try fixture.file("bin/app.deb", "deb")
      let refusal = ScriptedFault.status(
        400, body: #"{"message":"400 Bad request - File is too large"}"#)
      emulator.script(method: "PUT", pathSuffix: Self.upload, [refusal, refusal, refusal])
      let result = try fixture.run([
        "publish", "bin", "--upload", "generic", "-o", "json", "--dotenv", "release.env",
      ])
      // The upload failed and no link pointed at the file before: its link is missing, and every
      // count says so, not only the uploads section.
      #expect(result.status == 1, "\(result.stderr)")
      #expect(fixture.links.map(\.name) == ["app.deb"])
      let report = try PublishReport(result.stdout)
      #expect(report.summary["failed"] == 1, "\(report.summary)")
      #expect(report.summary["create"] == 1)
      let failed = try #require(report.links.first { $0["name"] as? String == "app-linux-amd64" })
      #expect(failed["status"] as? String == "failed")
      #expect(
        (failed["error"] as? String)?.hasPrefix(
          "Not created: the upload of 'app-linux-amd64' failed")
          == true, "\(failed)")
      let dotenv = try String(
        contentsOf: fixture.world.directory.appendingPathComponent("release.env"), encoding: .utf8)
      #expect(dotenv.contains("RELEASE_LINKER_FAILED=1\n"), "\(dotenv)")
      #expect(dotenv.contains("RELEASE_LINKER_LINKS=1\n"), "\(dotenv)")
    }
  }
}
