import Foundation
import Testing

/// Archives built to mislead or to stall: a zip whose two copies of a name disagree, a zip cut
/// short, a decompression bomb.
@Suite(.serialized) struct ScanCommandHostileArchiveTests {
  /// Entries of a local archive are linked where a template says they are served.
  static let urls = "https://downloads.example.com/{path}"

  /// A zip of one entry whose local header names `localName` while its central directory names
  /// `centralName`, or (with `dropEnd`) that ends before its end-of-central-directory record.
  private func craftedZip(
    _ fixture: ScanFixture, centralName: String = "bin/real.txt",
    localName: String = "bin/fake.txt", dropEnd: Bool = false
  ) throws {
    try fixture.tool([
      "python3", "-c",
      """
      import io, zipfile
      buffer = io.BytesIO()
      with zipfile.ZipFile(buffer, "w") as z:
          z.writestr("bin/other.txt", "other")
          z.writestr("\(centralName)", "hello")
      data = bytearray(buffer.getvalue())
      local = data.find(b"\(centralName)")
      data[local:local + len(b"\(localName)")] = b"\(localName)"
      if \(dropEnd ? "True" : "False"):
          data = data[:data.rfind(b"PK\\x05\\x06")]
      open("crafted.zip", "wb").write(data)
      """,
    ])
  }

  @Test func aZipWhoseLocalNamesDisagreeWithItsDirectoryIsRefused() throws {
    let fixture = try ScanFixture()
    try craftedZip(fixture)
    // bsdtar, like libarchive under it, lists the local header's name; GitLab serves the other.
    #expect(try fixture.tool(["bsdtar", "-tf", "crafted.zip"]).contains("bin/fake.txt"))
    let result = try fixture.run([
      "scan", "--archive", "crafted.zip", "--url-template", Self.urls, "-o", "json",
    ])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.contains("'bin/real.txt'"), "\(result.stderr)")
    #expect(result.stderr.contains("'bin/fake.txt'"))
    #expect(result.stderr.contains("central directory"))
    #expect(result.stdout.isEmpty)
  }

  @Test func aZipWithoutItsEndOfCentralDirectoryRecordIsRefused() throws {
    let fixture = try ScanFixture()
    try craftedZip(fixture, centralName: "bin/a.txt", localName: "bin/a.txt", dropEnd: true)
    let result = try fixture.run(["scan", "--archive", "crafted.zip", "--url-template", Self.urls])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(
      result.stderr.contains("end-of-central-directory record is missing"), "\(result.stderr)")
  }

  @Test func anHonestZipIsStillRead() throws {
    let fixture = try ScanFixture()
    try craftedZip(fixture, centralName: "bin/a.txt", localName: "bin/a.txt")
    let result = try fixture.run([
      "scan", "--archive", "crafted.zip", "--url-template", Self.urls, "-o", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(Set(try ScannedLinks(result).artifactPaths) == ["bin/other.txt", "bin/a.txt"])
  }

  @Test(arguments: [
    ("bomb.tar.gz", ["bsdtar", "-czf", "../bomb.tar.gz", "."]),
    ("bomb.zip", ["zip", "-q", "-r", "../bomb.zip", "."]),
  ])
  func anArchiveExpandingPastMaxExpandedSizeIsRefused(name: String, pack: [String]) throws {
    let fixture = try ScanFixture()
    try fixture.write("src/zeros.bin", Data(count: 8 << 20))
    try fixture.write("src/small.txt", "small")
    try fixture.tool(pack, in: "src")
    for checksums in [[], ["--no-checksums"]] {
      let result = try fixture.run(
        ["scan", "--archive", name, "--url-template", Self.urls, "--max-expanded-size", "1M"]
          + checksums)
      #expect(result.status == 65, "\(name) \(checksums): \(result.stderr)")
      #expect(result.stderr.contains("expand to more than 1 MiB (--max-expanded-size)"))
    }
    let within = try fixture.run([
      "scan", "--archive", name, "--url-template", Self.urls, "--max-expanded-size", "9M",
    ])
    #expect(within.status == 0, "\(within.stderr)")
    let byDefault = try fixture.run(["scan", "--archive", name, "--url-template", Self.urls])
    #expect(byDefault.status == 0, "\(byDefault.stderr)")
  }

  @Test func aSixtyFourKibibyteNameDoesNotPadEveryRowOfTheTable() throws {
    // One entry named with 64 KiB among 2,000: every row used to be padded to it (263 MB).
    let fixture = try ScanFixture()
    try fixture.tool([
      "python3", "-c",
      """
      import io, tarfile
      with tarfile.open("long.tar", "w", format=tarfile.PAX_FORMAT) as t:
          for i in range(2000):
              name = "bin/" + ("x" * 65536 if i == 1000 else "file-%04d" % i)
              info = tarfile.TarInfo(name)
              info.size = 1
              t.addfile(info, io.BytesIO(b"z"))
      """,
    ])
    let result = try fixture.run(
      ["scan", "--archive", "long.tar", "--url-template", Self.urls, "--no-checksums"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2001)
    #expect(result.stdout.utf8.count < 2001 * 100, "\(result.stdout.utf8.count) bytes")
    #expect(lines.allSatisfy { $0.count <= 80 })
  }
}
