import Foundation
import Testing

/// `scan --checksums FILE` in a build job: the file names each asset from its own folder, so
/// `sha256sum -c` passes there, and it does not list itself.
@Suite struct ScanChecksumsTests {
  @Test func theBuildJobsChecksumsFilePassesSha256sumInItsFolder() throws {
    let fixture = try ScanFixture()
    try fixture.write("dist/hello-linux-amd64", "linux")
    try fixture.write("dist/sub/hello.deb", "deb")
    // A file left by an earlier run is not an asset of its own listing.
    try fixture.write("dist/SHA256SUMS", "stale")
    let result = try fixture.run(["scan", "dist", "--checksums", "dist/SHA256SUMS"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains("SHA256SUMS"))
    let text = try String(contentsOf: fixture.url("dist/SHA256SUMS"), encoding: .utf8)
    #expect(text.split(separator: "\n").count == 2)
    let check = try fixture.tool(["sha256sum", "-c", "SHA256SUMS"], in: "dist")
    #expect(
      check.split(separator: "\n").sorted() == ["hello-linux-amd64: OK", "sub/hello.deb: OK"])
  }

  @Test func checksumsNeedChecksums() throws {
    let fixture = try ScanFixture()
    try fixture.write("dist/a", "a")
    let result = try fixture.run(["scan", "dist", "--checksums", "SUMS", "--no-checksums"])
    #expect(result.status == 64)
  }
}
