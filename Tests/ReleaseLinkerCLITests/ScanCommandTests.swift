import Foundation
import Testing

/// The files every archive test packs: nested folders, odd names and a symbolic link.
private let treeFiles: [(String, String)] = [
  ("bin/hello-linux-amd64", "ELF pretend\n"),
  ("bin/app_1.0_amd64.deb", "debian package\n"),
  ("bin/my app+v1#2%.bin", "odd name\n"),
  ("docs/Résumé README.md", "# read me\n"),
  ("a/b/c/d/deep.txt", "deep\n"),
]

private func makeTree(in fixture: ScanFixture, under folder: String = "src") throws {
  for (path, contents) in treeFiles { try fixture.write("\(folder)/\(path)", contents) }
  try fixture.symlink("\(folder)/bin/link-to-deb", to: "app_1.0_amd64.deb")
}

@Suite(.serialized) struct ScanCommandTests {
  @Test func directoryScanPrintsTheDocumentedJSON() throws {
    let fixture = try ScanFixture()
    try makeTree(in: fixture, under: ".")
    try fixture.symlink("bin/outside", to: "/etc")
    let result = try fixture.run(["scan", "bin", "docs", "a", "--output", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let scanned = try ScannedLinks(result)
    #expect(
      scanned.artifactPaths == [
        "bin/app_1.0_amd64.deb", "bin/hello-linux-amd64", "bin/my app+v1#2%.bin",
        "docs/Résumé README.md", "a/b/c/d/deep.txt",
      ])
    #expect(scanned.document["dry_run"] as? Bool == true)
    #expect(scanned.document["project"] is NSNull)
    #expect(
      scanned.document["summary"] as? [String: Int] == [
        "create": 5, "update": 0, "unchanged": 0, "delete": 0, "failed": 0,
      ])

    let hello = try scanned.link("bin/hello-linux-amd64")
    #expect(hello["name"] as? String == "hello-linux-amd64")
    #expect(
      hello["url"] as? String
        == "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/bin/hello-linux-amd64"
    )
    #expect(hello["direct_asset_path"] as? String == "/bin/hello-linux-amd64")
    #expect(hello["link_type"] as? String == "other")
    #expect(hello["action"] as? String == "create")
    #expect(hello["status"] as? String == "planned")
    #expect(hello["size"] as? Int == 12)
    #expect(hello["sha256"] as? String == (try fixture.sha256sum("bin/hello-linux-amd64")))
    #expect(
      hello["id"] is NSNull && hello["direct_asset_url"] is NSNull && hello["error"] is NSNull)

    #expect(try scanned.link("bin/app_1.0_amd64.deb")["link_type"] as? String == "package")
    #expect(try scanned.link("docs/Résumé README.md")["link_type"] as? String == "runbook")
    let odd = try scanned.link("bin/my app+v1#2%.bin")
    #expect(
      odd["url"] as? String
        == "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/bin/my%20app%2Bv1%232%25.bin"
    )
    #expect(odd["name"] as? String == "my app+v1#2%.bin")
    let accented = try scanned.link("docs/Résumé README.md")
    #expect(
      (accented["url"] as? String)?.hasSuffix("/raw/docs/R%C3%A9sum%C3%A9%20README.md") == true)
    for link in scanned.links {
      let path = try #require(link["direct_asset_path"] as? String)
      #expect(gitLabAcceptsPath(path), "\(path)")
    }
    #expect(result.stderr.contains("warning: skipping 'bin/link-to-deb'"))
    #expect(result.stderr.contains("warning: skipping 'bin/outside'"))
  }

  @Test(arguments: [
    ("a.zip", ["zip", "-qry", "../a.zip", "."]),
    ("a.tar", ["tar", "-cf", "../a.tar", "."]),
    ("a.tar.gz", ["bsdtar", "-czf", "../a.tar.gz", "."]),
    ("a.tar.bz2", ["bsdtar", "-cjf", "../a.tar.bz2", "."]),
    ("a.tar.xz", ["bsdtar", "-cJf", "../a.tar.xz", "."]),
    ("a.tar.zst", ["bsdtar", "--zstd", "-cf", "../a.tar.zst", "."]),
    ("a.7z", ["7z", "a", "-bd", "../a.7z", "."]),
  ])
  func archivesOfEveryFormatGiveTheSameAssetsAsTheFolder(
    archive: String, command: [String]
  ) throws {
    let fixture = try ScanFixture()
    try makeTree(in: fixture)
    try fixture.tool(command, in: "src")
    let result = try fixture.run([
      "scan", "--archive", archive, "--url-template", ScanFixture.entryURL, "-o", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let scanned = try ScannedLinks(result)
    #expect(Set(scanned.artifactPaths) == Set(treeFiles.map(\.0)))
    #expect(scanned.links.count == treeFiles.count)
    for (path, contents) in treeFiles {
      let link = try scanned.link(path)
      #expect(link["sha256"] as? String == (try fixture.sha256sum("src/\(path)")), "\(path)")
      #expect(link["size"] as? Int == contents.utf8.count)
    }
    #expect(result.stderr.contains("link-to-deb"), "the symbolic link is named in a warning")
    #expect(result.stderr.contains("symbolic link"))
  }

  @Test func largeAssetsGetTheSameChecksumAsCoreutils() throws {
    let fixture = try ScanFixture()
    var generator = SystemRandomNumberGenerator()
    try fixture.write(
      "big/large.bin",
      Data((0..<3_000_017).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    try fixture.tool(["bsdtar", "-cJf", "large.tar.xz", "big"])
    let expected = try fixture.sha256sum("big/large.bin")
    for arguments in [
      ["big"], ["--archive", "large.tar.xz", "--url-template", ScanFixture.entryURL],
    ] {
      let result = try fixture.run(["scan"] + arguments + ["-o", "json"])
      #expect(result.status == 0, "\(result.stderr)")
      let link = try ScannedLinks(result).link("big/large.bin")
      #expect(link["sha256"] as? String == expected, "\(arguments)")
      #expect(link["size"] as? Int == 3_000_017)
    }
  }

  @Test func traversalAbsoluteAndLinkEntriesAreSkippedWithAWarning() throws {
    let fixture = try ScanFixture()
    try fixture.write("d/ok.txt", "ok")
    try fixture.write("d/evil.txt", "evil")
    try fixture.write("d/abs.txt", "abs")
    try fixture.write("d/inner.txt", "inner")
    try fixture.symlink("d/passwd", to: "/etc/passwd")
    try fixture.tool([
      "bsdtar", "-cPf", "t.tar", "-s", ",^d/evil.txt,../../evil.txt,", "-s",
      ",^d/abs.txt,/etc/abs.txt,", "-s", ",^d/inner.txt,d/x/../inner.txt,", "d/ok.txt",
      "d/evil.txt", "d/abs.txt", "d/inner.txt", "d/passwd",
    ])
    let result = try fixture.run([
      "scan", "--archive", "t.tar", "--url-template", ScanFixture.entryURL, "-o", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try ScannedLinks(result).artifactPaths == ["d/ok.txt"])
    #expect(result.stderr.contains("'../../evil.txt'"))
    #expect(result.stderr.contains("'/etc/abs.txt'"))
    #expect(result.stderr.contains("'d/x/../inner.txt'"))
    #expect(result.stderr.contains("'d/passwd'"))
    #expect(!result.stdout.contains("evil"))
  }

  @Test func namesThatAreNotUTF8AreSkippedWithAWarning() throws {
    let fixture = try ScanFixture()
    try fixture.write("n/good.bin", "good")
    try fixture.tool([
      "sh", "-c", #"f="n/$(printf 'bad\377name.bin')"; echo bad > "$f"; bsdtar -cf n.tar n"#,
    ])
    let archive = try fixture.run([
      "scan", "--archive", "n.tar", "--url-template", ScanFixture.entryURL, "-o", "json",
    ])
    #expect(archive.status == 0, "\(archive.stderr)")
    #expect(try ScannedLinks(archive).artifactPaths == ["n/good.bin"])
    #expect(archive.stderr.contains("not valid UTF-8"))
    let folder = try fixture.run(["scan", "n", "-o", "json"])
    #expect(folder.status == 0, "\(folder.stderr)")
    #expect(try ScannedLinks(folder).artifactPaths == ["n/good.bin"])
    #expect(folder.stderr.contains("not valid UTF-8"))
  }

  @Test func randomBytesAreADataErrorNamingTheFile() throws {
    let fixture = try ScanFixture()
    var generator = SystemRandomNumberGenerator()
    try fixture.write(
      "noise.zip", Data((0..<10_000).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    let result = try fixture.run([
      "scan", "--archive", "noise.zip", "--url-template", ScanFixture.entryURL,
    ])
    #expect(result.status == 65)
    #expect(result.stderr.contains("noise.zip"))
    #expect(result.stderr.contains("Unrecognized archive format"))
    #expect(result.stdout.isEmpty)
  }

  @Test(arguments: ["a.tar.gz", "a.tar.xz", "a.zip", "a.7z", "a.tar"])
  func truncatedArchivesAreADataErrorNamingTheFile(archive: String) throws {
    let fixture = try ScanFixture()
    // Incompressible content, so cutting the archive in half lands inside an entry's data; over
    // 1 MiB, so its checksum is computed on the second thread.
    var generator = SystemRandomNumberGenerator()
    try fixture.write(
      "src/payload.bin",
      Data((0..<1_500_000).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    try fixture.write("src/small.txt", "small")
    let command: [String] =
      switch archive {
      case "a.zip": ["zip", "-qr", "../a.zip", "."]
      case "a.7z": ["7z", "a", "-bd", "../a.7z", "."]
      case "a.tar": ["bsdtar", "-cf", "../a.tar", "."]
      case "a.tar.xz": ["bsdtar", "-cJf", "../a.tar.xz", "."]
      default: ["bsdtar", "-czf", "../a.tar.gz", "."]
      }
    try fixture.tool(command, in: "src")
    let full = try Data(contentsOf: fixture.url(archive))
    try full.prefix(full.count / 2).write(to: fixture.url(archive))
    let result = try fixture.run([
      "scan", "--archive", archive, "--url-template", ScanFixture.entryURL,
    ])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.contains("error: Cannot read the archive '\(archive)'"))
  }

  @Test func corruptedDataInsideAZipIsADataError() throws {
    let fixture = try ScanFixture()
    try fixture.write("src/text.txt", String(repeating: "compressible text ", count: 5_000))
    try fixture.tool(["zip", "-qr", "../c.zip", "."], in: "src")
    var bytes = [UInt8](try Data(contentsOf: fixture.url("c.zip")))
    for index in 200..<260 { bytes[index] ^= 0x5A }
    try Data(bytes).write(to: fixture.url("c.zip"))
    let result = try fixture.run([
      "scan", "--archive", "c.zip", "--url-template", ScanFixture.entryURL,
    ])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.contains("c.zip"))
  }

  @Test func pathOutsideTheRootIsADataError() throws {
    let fixture = try ScanFixture()
    try fixture.write("project/a.bin", "a")
    try fixture.write("elsewhere/b.bin", "b")
    let result = try fixture.run(
      ["scan", "elsewhere"],
      environment: ["CI_PROJECT_DIR": fixture.url("project").path])
    #expect(result.status == 65)
    #expect(result.stderr.contains("outside the root"))
    let inside = try fixture.run(
      ["scan", "project/a.bin", "-o", "json"],
      environment: ["CI_PROJECT_DIR": fixture.url("project").path])
    #expect(inside.status == 0, "\(inside.stderr)")
    #expect(try ScannedLinks(inside).artifactPaths == ["a.bin"])
  }

  @Test func everyCollisionIsListedAndNothingIsPrinted() throws {
    let fixture = try ScanFixture()
    for folder in ["linux", "darwin"] {
      try fixture.write("\(folder)/app.bin", folder)
      try fixture.write("\(folder)/tool", folder)
    }
    try fixture.write("unique/only.txt", "x")
    let result = try fixture.run(["scan", "linux", "darwin", "unique", "-o", "json"])
    #expect(result.status == 65)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("name 'app.bin' from 'linux/app.bin', 'darwin/app.bin'"))
    #expect(result.stderr.contains("name 'tool' from 'linux/tool', 'darwin/tool'"))
    #expect(!result.stderr.contains("only.txt"))
    let templated = try fixture.run([
      "scan", "linux", "darwin", "--name-template", "{path}", "--asset-path-template",
      "/{basename}",
    ])
    #expect(templated.status == 65)
    #expect(templated.stderr.contains("direct_asset_path '/app.bin'"))
    #expect(templated.stderr.contains("direct_asset_path '/tool'"))
    #expect(!templated.stderr.contains("name '"))
  }

  @Test func aNameOfOnlySpacesIsRefusedBeforeAnythingIsSent() throws {
    let fixture = try ScanFixture()
    try fixture.write("ws/ ", "1")
    try fixture.write("ws/ok.bin", "2")
    let result = try fixture.run(["scan", "ws"])
    #expect(result.status == 65)
    #expect(result.stderr.contains("blank link name") && result.stderr.contains("'ws/ '"))
    #expect(try fixture.run(["scan", "ws", "--name-template", "asset {path}"]).status == 0)
  }

  @Test func namesThatRewriteToTheSameDirectAssetPathAreToldApart() throws {
    let fixture = try ScanFixture()
    try fixture.write("dist/my app.bin", "1")
    try fixture.write("dist/my+app.bin", "2")
    try fixture.write("dist/café.bin", "3")
    let result = try fixture.run(["scan", "dist", "-o", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let links = try ScannedLinks(result)
    let spaced = try links.link("dist/my app.bin")["direct_asset_path"] as? String ?? ""
    let plus = try links.link("dist/my+app.bin")["direct_asset_path"] as? String ?? ""
    #expect(spaced != plus)
    #expect(spaced.hasPrefix("/dist/my-app-") && spaced.hasSuffix(".bin"))
    #expect(plus.hasPrefix("/dist/my-app-") && plus.hasSuffix(".bin"))
    // Nothing else rewrites alike: the plain rewrite of the contract.
    #expect(try links.link("dist/café.bin")["direct_asset_path"] as? String == "/dist/caf-.bin")
    let alone = try fixture.run(["scan", "dist/my app.bin", "-o", "json"])
    #expect(
      try ScannedLinks(alone).link("dist/my app.bin")["direct_asset_path"] as? String
        == "/dist/my-app.bin")
  }

  @Test func aFileReachedTwiceIsOneAssetButTwoArchivesCollide() throws {
    let fixture = try ScanFixture()
    try fixture.write("dist/app.bin", "app")
    let twice = try fixture.run(["scan", "dist", "dist/app.bin", "./dist/../dist", "-o", "json"])
    #expect(twice.status == 0, "\(twice.stderr)")
    #expect(try ScannedLinks(twice).artifactPaths == ["dist/app.bin"])
    try fixture.tool(["bsdtar", "-czf", "one.tgz", "dist"])
    try fixture.tool(["bsdtar", "-czf", "two.tgz", "dist"])
    let archives = try fixture.run([
      "scan", "--archive", "one.tgz", "--url-template", ScanFixture.entryURL, "--archive",
      "two.tgz",
    ])
    #expect(archives.status == 65)
    #expect(archives.stderr.contains("name 'app.bin' from 'dist/app.bin', 'dist/app.bin'"))
  }

  @Test func unknownPlaceholderIsAUsageError() throws {
    let fixture = try ScanFixture()
    try fixture.write("a.bin", "a")
    let result = try fixture.run(["scan", "a.bin", "--name-template", "{basename}-{version}"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("{version}"))
  }

  @Test(arguments: [
    ["--type-rule", "package"], ["--type-rule", "binary=*.bin"], ["--link-type", "binary"],
    ["--include", "[a-z"], ["--url-template", "{project_url}/{path}", "--ref-urls"],
  ])
  func badDerivationOptionsAreUsageErrors(arguments: [String]) throws {
    let fixture = try ScanFixture()
    try fixture.write("a.bin", "a")
    let result = try fixture.run(["scan", "a.bin"] + arguments)
    #expect(result.status == 64, "\(arguments): \(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func missingSettingNamesTheFlagAndTheVariable() throws {
    let fixture = try ScanFixture()
    try fixture.write("a.bin", "a")
    let result = try fixture.run(["scan", "a.bin"], environment: ["CI_PROJECT_URL": ""])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--project-url") && result.stderr.contains("CI_PROJECT_URL"))
    // The by-ref URL needs the tag and the job name; the default one does not.
    let ref = try fixture.run(["scan", "a.bin", "--ref-urls"])
    #expect(ref.status == 64)
    let withRef = try fixture.run(
      ["scan", "a.bin", "--ref-urls", "-o", "json"],
      environment: ["CI_COMMIT_TAG": "v1.0", "CI_JOB_NAME": "build"])
    #expect(withRef.status == 0, "\(withRef.stderr)")
    #expect(
      try ScannedLinks(withRef).link("a.bin")["url"] as? String
        == "https://gitlab.example.com/mynamespace/hello/-/jobs/artifacts/v1.0/raw/a.bin?job=build")
  }

  @Test func includeExcludeTypeRulesAndNoChecksums() throws {
    let fixture = try ScanFixture()
    try makeTree(in: fixture, under: "out")
    let result = try fixture.run([
      "scan", "out", "--include", "out/bin/*", "--include", "out/**/*.md", "--exclude",
      "**/*.deb", "--type-rule", "image=**/*linux*", "--no-checksums", "--link-type", "runbook",
      "-o", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let scanned = try ScannedLinks(result)
    #expect(
      scanned.artifactPaths == [
        "out/bin/hello-linux-amd64", "out/bin/my app+v1#2%.bin", "out/docs/Résumé README.md",
      ])
    #expect(scanned.links.allSatisfy { $0["sha256"] is NSNull })
    #expect(try scanned.link("out/bin/hello-linux-amd64")["link_type"] as? String == "image")
    #expect(try scanned.link("out/bin/my app+v1#2%.bin")["link_type"] as? String == "runbook")
    #expect(try scanned.link("out/bin/hello-linux-amd64")["size"] as? Int == 12)
  }

  @Test func noDirectAssetPathLeavesItNull() throws {
    let fixture = try ScanFixture()
    try fixture.write("a.bin", "a")
    let result = try fixture.run(["scan", "a.bin", "--no-direct-asset-path", "-o", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try ScannedLinks(result).link("a.bin")["direct_asset_path"] is NSNull)
  }

  @Test func textTableListsEveryAsset() throws {
    let fixture = try ScanFixture()
    try makeTree(in: fixture, under: ".")
    let result = try fixture.run(["scan", "bin"], environment: ["COLUMNS": "200"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines.first?.hasPrefix("ARTIFACT PATH") == true)
    #expect(
      result.stdout.contains(
        "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/bin/app_1.0_amd64.deb"
      ))
    #expect(result.stderr.contains("3 assets"))
  }

  @Test func nothingToScanIsAUsageError() throws {
    let fixture = try ScanFixture()
    let result = try fixture.run(["scan"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--archive"))
  }

  @Test func helpShowsExamples() throws {
    let fixture = try ScanFixture()
    let result = try fixture.run(["scan", "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Examples:"))
    #expect(result.stdout.contains("--artifacts-job"))
  }
}
