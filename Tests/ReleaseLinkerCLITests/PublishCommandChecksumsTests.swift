import Foundation
import GitLabEmulator
import Testing

/// `--checksums FILE`: a `sha256sum -c` file of every asset; in upload mode it is uploaded and
/// linked as one more asset, and what a person downloads from the release passes the check.
@Suite struct PublishChecksumsTests {
  @Test func theChecksumsFileDownloadedBackPassesSha256sum() throws {
    try withEmulator { emulator in
      let fixture = try UploadFixture(emulator)
      defer { fixture.cleanUp() }
      try fixture.file("bin/app-linux-amd64", String(repeating: "binary ", count: 3000))
      try fixture.file("bin/app.deb", "deb")
      try fixture.file("staging/docs/README.txt", "read me\n")
      try fixture.tarGz("docs.tar.gz", of: "staging")
      let result = try fixture.run([
        "publish", "bin", "--archive", "docs.tar.gz", "--upload", "generic", "--checksums",
        "SHA256SUMS", "-o", "json",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      let report = try PublishReport(result.stdout)
      #expect(report.uploadValues("file_name").last == "SHA256SUMS")
      let links = fixture.links
      #expect(links.count == 4)
      #expect(links.contains { $0.name == "SHA256SUMS" && $0.directAssetPath == "/SHA256SUMS" })

      // Download every link of the release, as a person would, under the registry's file names.
      let downloads = fixture.directory.appendingPathComponent("downloads")
      for link in links {
        let id = try #require(link.url.split(separator: "/").dropLast().last.flatMap { Int($0) })
        let file = try #require(fixture.packageFiles.first { $0.id == id })
        try fixture.download(link.url, to: downloads, as: file.fileName)
      }
      let check = try fixture.tool(["sha256sum", "-c", "SHA256SUMS"], in: downloads)
      #expect(check.split(separator: "\n").count == 3)
      #expect(check.split(separator: "\n").allSatisfy { $0.hasSuffix(": OK") })

      // The same run again: the checksums file is the same bytes, so nothing is sent.
      emulator.resetStats()
      let again = try fixture.run([
        "publish", "bin", "--archive", "docs.tar.gz", "--upload", "generic", "--checksums",
        "SHA256SUMS",
      ])
      #expect(again.status == 0, "\(again.stderr)")
      #expect(emulator.stats.writes == 0)
    }
  }
}
