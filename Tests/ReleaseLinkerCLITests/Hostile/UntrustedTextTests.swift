import Foundation
import GitLabEmulator
import Testing

/// Text from outside — archive entry names, link names and messages from the server — reaches a
/// terminal or a job log escaped (ESC, CR, BEL, line breaks, bidirectional overrides shown, not
/// obeyed); the JSON document keeps it exact; a link name holding such characters is refused.
@Suite(.serialized) struct UntrustedTextTests {
  /// Entries of a local archive are linked where a template says they are served.
  static let urls = "https://downloads.example.com/{path}"

  /// A tar whose entries have these names (Python's tarfile writes any bytes).
  private func tar(_ names: [String], in fixture: ScanFixture) throws {
    let list = names.map {
      "'" + $0.unicodeScalars.map { "\\U\(String(format: "%08x", $0.value))" }.joined() + "'"
    }
    try fixture.tool([
      "python3", "-c",
      """
      import io, tarfile
      with tarfile.open("a.tar", "w", format=tarfile.PAX_FORMAT) as t:
          for name in [\(list.joined(separator: ", "))]:
              info = tarfile.TarInfo(name)
              info.size = 2
              t.addfile(info, io.BytesIO(b"ok"))
      """,
    ])
  }

  private func expectNoRawControls(_ text: String, _ comment: Comment? = nil) {
    for raw in ["\u{1B}", "\r", "\u{07}", "\u{202E}", "\u{9B}"] {
      #expect(!text.contains(raw), "raw \(raw.unicodeScalars.first!.value) in: \(text)")
    }
    #expect(
      !text.split(separator: "\n").contains { $0.hasPrefix("error: fake") },
      "a forged error line: \(text)")
  }

  @Test func skippedEntryNamesAreEscapedInWarnings() throws {
    let fixture = try ScanFixture()
    try tar(
      [
        "../\u{1B}]0;owned\u{07}evil", "/abs\r\nerror: fake",
        "../x\r\u{1B}[0Ksection_end:1700000000:release_linker\r\u{1B}[0K", "bin/ok.txt",
      ], in: fixture)
    let result = try fixture.run([
      "scan", "--archive", "a.tar", "--url-template", Self.urls, "-o", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("\\e]0;owned\\x07evil"), "\(result.stderr)")
    #expect(result.stderr.contains("/abs\\r\\nerror: fake"))
    expectNoRawControls(result.stderr)
    #expect(result.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("warning: skipping") })
  }

  @Test func linkNamesWithControlCharactersAreRefused() throws {
    let fixture = try ScanFixture()
    try tar(
      ["bin/red\u{1B}[31m.txt", "bin/\u{202E}txt.exe", "bin/two\nlines", "bin/ok"], in: fixture)
    let result = try fixture.run(["scan", "--archive", "a.tar", "--url-template", Self.urls])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.contains("3 link names would hold control characters"))
    #expect(result.stderr.contains("'red\\e[31m.txt'"), "\(result.stderr)")
    #expect(result.stderr.contains("'\\u{202E}txt.exe'"))
    #expect(result.stderr.contains("'two\\nlines'"))
    expectNoRawControls(result.allOutput)
  }

  @Test func serverLinkNamesAreEscapedInTextAndExactInJSON() throws {
    let evil = "evil\u{1B}]0;pwned\u{07}\r\nerror: fake\u{202E}gnp.exe"
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      emulator.addLink(
        projectID: PublishFixture.projectID, tag: PublishFixture.tag, name: evil,
        url: PublishFixture.artifactURL("old/\u{1B}[2Jx"))
      try world.file("bin/app")

      // Wide enough that no cell is cut: what is shown is the whole escaped name.
      let wide = ["COLUMNS": "400"]
      let list = try world.run(["links", "list"], extra: wide)
      #expect(list.status == 0, "\(list.stderr)")
      #expect(list.stdout.contains("evil\\e]0;pwned\\x07\\r\\nerror: fake\\u{202E}gnp.exe"))
      expectNoRawControls(list.allOutput)

      let json = try world.run(["links", "list", "-o", "json"])
      let names = try #require(
        try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
      ).compactMap { $0["name"] as? String }
      #expect(names == [evil])

      let plan = try world.run(["publish", "bin", "--prune", "--dry-run"], extra: wide)
      #expect(plan.status == 0, "\(plan.stderr)")
      #expect(plan.stdout.contains("would delete"))
      #expect(plan.stdout.contains("evil\\e]0;pwned"))
      expectNoRawControls(plan.allOutput)

      let report = try world.run(["publish", "bin", "--prune", "--dry-run", "-o", "json"])
      #expect(try PublishReport(report.stdout).values("name").contains(evil))
    }
  }

  @Test func aServerMessageCannotForgeAnErrorLine() throws {
    let server = try HostileServer(
      handler: #"reply(400, '{"message":"bad value\\u001b[2J\\r\\nerror: fake line\\u202e"}')"#)
    let result = try CLIRunner.run(
      ["links", "create", "--name", "a", "--url", "https://example.com/a"],
      environment: server.environment(
        token: "glcbt-text-token", directory: FileManager.default.temporaryDirectory))
    #expect(result.status == 1, "\(result.stderr)")
    #expect(
      result.stderr.contains("bad value\\e[2J\\r\\nerror: fake line\\u{202E}"), "\(result.stderr)")
    expectNoRawControls(result.stderr)
    #expect(result.stderr.split(separator: "\n").count == 1)
  }
}
