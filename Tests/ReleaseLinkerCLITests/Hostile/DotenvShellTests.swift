import Foundation
import GitLabEmulator
import Testing

/// The dotenv report is read twice: by GitLab, which makes variables of it for later jobs, and by
/// a later job's sh when the file is sourced. A hostile tag must reach both as data, never as a
/// command.
@Suite(.serialized) struct DotenvShellTests {
  /// Git and GitLab accept it as a tag (no space, `~ ^ : ? * [ \` or control character; see
  /// GitLab's `lib/gitlab/git_ref_validator.rb`), and sh would run both of its commands.
  static let hostileTag = "v1$(touch${IFS}pwned);'\"`touch${IFS}pwned`&|<>#!$HOME%41{x}é"
  /// Every byte but letters, digits and `. _ - / : @ + , =` as `%XX`.
  static let encodedTag =
    "v1%24%28touch%24%7BIFS%7Dpwned%29%3B%27%22%60touch%24%7BIFS%7Dpwned%60%26%7C%3C%3E%23%21"
    + "%24HOME%2541%7Bx%7D%C3%A9"

  @Test func theTagIsAValidGitTag() throws {
    let result = try Shell.run(["git", "check-ref-format", "refs/tags/\(Self.hostileTag)"])
    #expect(result.status == 0, "\(result.allOutput)")
  }

  @Test func sourcingTheReportRunsNothingAndGivesTheEncodedTag() throws {
    try withEmulator { emulator in
      let fixture = try PublishFixture(emulator, release: false)
      defer { fixture.cleanUp() }
      emulator.addRelease(projectID: PublishFixture.projectID, tag: Self.hostileTag)
      try fixture.file("bin/app", size: 4)
      let published = try fixture.run(
        ["publish", "bin", "--dotenv", "release.env"], extra: ["CI_COMMIT_TAG": Self.hostileTag])
      #expect(published.status == 0, "\(published.allOutput)")
      #expect(emulator.links(projectID: PublishFixture.projectID, tag: Self.hostileTag).count == 1)

      let dotenv = try String(
        contentsOf: fixture.directory.appendingPathComponent("release.env"), encoding: .utf8)
      #expect(dotenv.hasPrefix("RELEASE_LINKER_TAG=\(Self.encodedTag)\n"), "\(dotenv)")

      let later = fixture.directory.appendingPathComponent("later-job")
      try FileManager.default.createDirectory(at: later, withIntermediateDirectories: true)
      try Data(dotenv.utf8).write(to: later.appendingPathComponent("release.env"))
      let sourced = try Shell.run(
        ["sh", "-c", ". ./release.env; printf %s \"$RELEASE_LINKER_TAG\""],
        environment: ["PATH": "/usr/bin:/bin", "HOME": later.path], in: later)
      #expect(sourced.status == 0, "\(sourced.allOutput)")
      #expect(sourced.stdout == Self.encodedTag)
      #expect(sourced.stderr.isEmpty, "\(sourced.stderr)")
      #expect(!FileManager.default.fileExists(atPath: later.appendingPathComponent("pwned").path))
      #expect(
        !FileManager.default.fileExists(
          atPath: fixture.directory.appendingPathComponent("pwned").path))
      #expect(sourced.stdout.removingPercentEncoding == Self.hostileTag)
    }
  }
}
