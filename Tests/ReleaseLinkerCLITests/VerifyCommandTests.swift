import Foundation
import GitLabEmulator
import Testing

/// `verify` fetches every link of the release as a person would, and exits 1 when one does not
/// download; the token never follows a redirect to another host.
@Suite struct VerifyCommandTests {
  @Test func aDeletedPackageFileIsReportedAsBroken() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      try fixture.file("bin/one", "one")
      try fixture.file("bin/two", "two")
      #expect(try fixture.run(["publish", "bin", "--upload", "generic"]).status == 0)
      let fine = try fixture.run(["verify"])
      #expect(fine.status == 0, "\(fine.stdout)\(fine.stderr)")

      // Someone deletes a file from the registry: its link now answers 404.
      emulator.addPrivateToken(
        "glpat-maintainer-secret", roles: [PublishFixture.projectID: .maintainer])
      let gone = try #require(fixture.packageFiles.first { $0.fileName == "two" })
      _ = try fixture.tool([
        "curl", "-sSf", "-X", "DELETE", "-H", "PRIVATE-TOKEN: glpat-maintainer-secret",
        "\(emulator.apiURL)/projects/\(PublishFixture.projectID)/packages/\(gone.packageID)/package_files/\(gone.id)",
      ])
      let result = try fixture.run(["verify", "-o", "json"])
      #expect(result.status == 1)
      let document = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      let verify = try #require(document["verify"] as? [String: Any])
      let links = try #require(verify["links"] as? [[String: Any]])
      let results = Dictionary(
        uniqueKeysWithValues: links.map {
          ($0["name"] as? String ?? "", $0["result"] as? String ?? "")
        })
      #expect(results == ["one": "ok", "two": "404"])
      #expect(!result.allOutput.contains(PublishFixture.jobToken))
    }
  }

  @Test func theTokenNeverFollowsARedirectToAnotherHost() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      let port = try #require(URL(string: emulator.baseURL)?.port)
      emulator.setStorageObject("app.bin", bytes: Array("bytes in a bucket".utf8))
      // The link's permanent URL is GitLab's; it redirects to storage on another host name.
      emulator.addLink(
        projectID: PublishFixture.projectID, tag: PublishFixture.tag, name: "app.bin",
        url: "http://localhost:\(port)/object-storage/app.bin", directAssetPath: "/bin/app.bin")
      let result = try fixture.run(["verify", "--verbose"])
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
      let log = emulator.requestLog
      let permanent = log.filter { $0.rawPath.contains("/-/releases/") }
      let storage = log.filter { $0.rawPath.hasPrefix("/object-storage/") }
      #expect(!permanent.isEmpty && permanent.allSatisfy { $0.authHeaderNames == ["JOB-TOKEN"] })
      #expect(!storage.isEmpty && storage.allSatisfy { $0.authHeaderNames.isEmpty })
      #expect(!result.allOutput.contains(PublishFixture.jobToken))
    }
  }

  @Test func anonymousSendsNoTokenAtAll() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      try fixture.file("bin/one", "one")
      #expect(try fixture.run(["publish", "bin", "--upload", "generic"]).status == 0)
      emulator.resetStats()
      // The emulator's projects are private: without a token the release is not found.
      let result = try fixture.run(["verify", "--anonymous"])
      #expect(result.status == 1)
      #expect(emulator.requestLog.allSatisfy { $0.authHeaderNames.isEmpty })
    }
  }

  @Test func publishVerifyChecksWhatItPublished() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      try fixture.file("bin/one", "one")
      let result = try fixture.run([
        "publish", "bin", "--upload", "generic", "--verify", "-o", "json",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      let report = try PublishReport(result.stdout)
      let verify = try #require(report.root["verify"] as? [String: Any])
      #expect((verify["summary"] as? [String: Int]) == ["ok": 1, "failed": 0])
    }
  }
}
