import Foundation
import GitLabEmulator
import Testing

/// Reports are written as fresh files: never through a symbolic link planted where they go, never
/// writable by others whatever the runner's umask, never with a line a tag could forge.
@Suite(.serialized) struct PublishCommandReportFileTests {
  @Test func aSymbolicLinkAtTheReportsPlaceIsReplacedNotFollowed() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/app")
      let victim = world.directory.appendingPathComponent("victim.txt")
      try Data("precious\n".utf8).write(to: victim)
      for name in ["report.json", "release.env", "SHA256SUMS"] {
        try FileManager.default.createSymbolicLink(
          at: world.directory.appendingPathComponent(name), withDestinationURL: victim)
      }
      let result = try CLIRunner.run(
        [
          "publish", "bin", "--report", "report.json", "--dotenv", "release.env", "--checksums",
          "SHA256SUMS",
        ],
        environment: world.environment(), in: world.directory, umask: "000")
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
      for name in ["report.json", "release.env", "SHA256SUMS"] {
        let path = world.directory.appendingPathComponent(name).path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular, "\(name)")
        // umask 000 used to leave them 0666.
        #expect((attributes[.posixPermissions] as? Int) == 0o644, "\(name): \(attributes)")
      }
      #expect(
        try PublishReport(file: world.directory.appendingPathComponent("report.json"))
          .values("status") == ["done"])
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: world.directory.path)
      #expect(
        Set(leftovers) == ["bin", "victim.txt", "report.json", "release.env", "SHA256SUMS"],
        "\(leftovers)")
    }
  }

  @Test func aTagWithALineBreakCannotForgeADotenvVariable() throws {
    try withEmulator(serverURL: PublishFixture.serverURL) { emulator in
      let world = try PublishFixture(emulator)
      defer { world.cleanUp() }
      try world.file("bin/app")
      for arguments in [
        ["--tag", "v1.7.0\nEVIL=injected"], ["--tag", "v1.7.0\rEVIL=injected"],
      ] {
        let result = try world.run(["publish", "bin", "--dotenv", "release.env"] + arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("control character"))
        let dotenv = world.directory.appendingPathComponent("release.env")
        let written = (try? String(contentsOf: dotenv, encoding: .utf8)) ?? ""
        #expect(!written.contains("EVIL"))
      }
      let fromVariable = try world.run(
        ["publish", "bin", "--dotenv", "release.env"],
        extra: ["CI_COMMIT_TAG": "v1.7.0\nEVIL=injected"])
      #expect(fromVariable.status == 64, "\(fromVariable.stderr)")
      #expect(fromVariable.stderr.contains("CI_COMMIT_TAG"))
      #expect(emulator.stats.requests == 0)
    }
  }
}
