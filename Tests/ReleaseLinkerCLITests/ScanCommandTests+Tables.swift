import Foundation
import Testing

/// Terminal columns a line takes, counted independently of the code under test: the CJK, kana,
/// Hangul and fullwidth blocks the tests use take two, other characters one.
private func columns(_ text: Substring) -> Int {
  text.unicodeScalars.reduce(0) { total, scalar in
    let value = scalar.value
    let wide =
      (0x3000...0x9FFF).contains(value) || (0xAC00...0xD7A3).contains(value)
      || (0xFF00...0xFF60).contains(value)
    return total + (wide ? 2 : 1)
  }
}

/// Issue 12 and issue 11: `scan`'s table fits the terminal, cuts rather than wraps, and lines up
/// wide characters.
extension ScanCommandTests {
  @Test func theTableFitsTheWidthAndCutsLongValuesInsteadOfWrapping() throws {
    let fixture = try ScanFixture()
    let long = "hello-" + String(repeating: "very-long-name-", count: 8) + "linux-amd64"
    try fixture.write("dist/\(long)", "x")
    try fixture.write("dist/b.deb", "y")
    for (variables, width) in [([:], 80), (["COLUMNS": "100"], 100), (["COLUMNS": "abc"], 80)] {
      let result = try fixture.run(["scan", "dist"], environment: variables)
      #expect(result.status == 0, "\(result.stderr)")
      let lines = result.stdout.split(separator: "\n")
      #expect(lines.count == 3, "one line per asset, never wrapped: \(result.stdout)")
      for line in lines { #expect(columns(line) <= width, "\(variables): \(line)") }
      // Cut in the middle: the start and the end of the URL both stay.
      let row = try #require(lines.first { $0.hasPrefix("dist/he") }, "\(result.stdout)")
      #expect(row.contains("…"))
      #expect(row.hasSuffix("amd64"))
      #expect(row.contains(" https:"))
    }
    let wide = try fixture.run(["scan", "dist"], environment: ["COLUMNS": "1000"])
    #expect(
      wide.stdout.contains(
        "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/dist/\(long)"))
    #expect(!wide.stdout.contains("…"))
  }

  @Test func wideCharactersLineUp() throws {
    let fixture = try ScanFixture()
    for name in ["日本語のファイル.txt", "a.txt", "中文名字.bin", "한국어.deb", "ｆｕｌｌ.iso"] {
      try fixture.write("docs/\(name)", "1")
    }
    let result = try fixture.run(
      ["scan", "docs", "--no-direct-asset-path"], environment: ["COLUMNS": "300"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 6)
    // Where the TYPE column starts, in terminal columns, on the header and on every row.
    let header = try #require(lines.first)
    let typeColumn = columns(
      try #require(header.range(of: "TYPE").map { header[..<$0.lowerBound] }))
    for line in lines.dropFirst() {
      let type = try #require(
        ["other", "package", "image", "runbook"].compactMap { line.range(of: "  \($0)  ") }.first,
        "\(line)")
      #expect(columns(line[..<type.lowerBound]) + 2 == typeColumn, "\(line)")
    }
  }

  @Test func oneHugeNameAmongThousandsKeepsTheOutputSmall() throws {
    let fixture = try ScanFixture()
    // 2,000 entries, one of them named with 64 KiB: a pax archive holds any length.
    try fixture.tool([
      "python3", "-c",
      """
      import io, tarfile
      with tarfile.open("many.tar", "w", format=tarfile.PAX_FORMAT) as tar:
          names = ["dist/file-%04d.bin" % i for i in range(1999)] + ["dist/" + "n" * 65536]
          for name in names:
              info = tarfile.TarInfo(name)
              info.size = 1
              tar.addfile(info, io.BytesIO(b"x"))
      """,
    ])
    let result = try fixture.run([
      "scan", "--archive", "many.tar", "--url-template", ScanFixture.entryURL, "--no-checksums",
      "--no-direct-asset-path",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2001)
    // Every line fits 80 columns (a cut cell holds a three-byte '…'): about 160 KB in all, where
    // padding every row to the longest name made hundreds of megabytes.
    #expect(lines.allSatisfy { columns($0) <= 80 })
    #expect(result.stdout.utf8.count < 2001 * 90, "\(result.stdout.utf8.count) bytes")
    // The JSON document still carries the whole name.
    let json = try fixture.run([
      "scan", "--archive", "many.tar", "--url-template", ScanFixture.entryURL, "--no-checksums",
      "-o", "json",
    ])
    #expect(json.stdout.contains(String(repeating: "n", count: 65536)))
  }

  @Test func aQuotedGlobPathIsExpandedLikeInclude() throws {
    let fixture = try ScanFixture()
    for name in ["a.deb", "b.deb", "c.txt", "sub/d.deb", "x[1].bin"] {
      try fixture.write("dist/\(name)", name)
    }
    let result = try fixture.run([
      "scan", "dist/*.deb", "dist/**/d.deb", "dist/x[1].bin", "-o", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    // '*' stays within a folder; a path naming a file as written is taken as written.
    #expect(
      try ScannedLinks(result).artifactPaths == [
        "dist/a.deb", "dist/b.deb", "dist/sub/d.deb", "dist/x[1].bin",
      ])
    let folders = try fixture.run(["scan", "d*", "-o", "json"])
    #expect(try ScannedLinks(folders).artifactPaths.count == 5)
    let none = try fixture.run(["scan", "dist/*.rpm"])
    #expect(none.status == 65)
    #expect(
      none.stderr.contains("'dist/*.rpm'") && none.stderr.contains("no file or folder matches"))
  }

  @Test(arguments: [
    ("notes.txt", "release notes\nline two\n"),
    // libarchive's mtree format would read this listing as entries of files on this disk.
    ("listing.txt", "#mtree\n./etc/hostname type=file\n"),
    ("empty.zip", ""),
  ])
  func aFileThatIsNotAnArchiveIsSaidToBeNone(name: String, contents: String) throws {
    let fixture = try ScanFixture()
    try fixture.write(name, contents)
    let result = try fixture.run([
      "scan", "--archive", name, "--url-template", ScanFixture.entryURL,
    ])
    #expect(result.status == 65, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("'\(name)': it is not an archive"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func anEmptyZipHasNoAssets() throws {
    let fixture = try ScanFixture()
    try fixture.tool(["python3", "-c", "import zipfile; zipfile.ZipFile('empty.zip', 'w').close()"])
    let result = try fixture.run([
      "scan", "--archive", "empty.zip", "--url-template", ScanFixture.entryURL,
    ])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(
      result.stderr.contains("No assets to link: the archive 'empty.zip' holds no regular file"))
  }

  @Test func aLocalArchiveNeedsToSayWhereItsEntriesLive() throws {
    let fixture = try ScanFixture()
    try fixture.write("src/a.bin", "a")
    try fixture.tool(["bsdtar", "-czf", "a.tgz", "-C", "src", "a.bin"])
    let refused = try fixture.run(["scan", "--archive", "a.tgz"])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("--artifacts-job") && refused.stderr.contains("--url-template"))
    let refs = try fixture.run(
      ["scan", "--archive", "a.tgz", "--ref-urls"],
      environment: ["CI_COMMIT_TAG": "v1", "CI_JOB_NAME": "b"])
    #expect(refs.status == 64)
  }
}
