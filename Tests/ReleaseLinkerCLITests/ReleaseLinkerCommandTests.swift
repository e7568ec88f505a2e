import Foundation
import Testing

/// The root command: a mistyped command is named with the nearest one (issue 12).
@Suite struct ReleaseLinkerCommandTests {
  @Test(arguments: [
    (
      ["publsh", "dist"],
      "'publsh' is not a command of release-linker. Did you mean 'release-linker publish'?"
    ),
    (["pln"], "Did you mean 'release-linker plan'?"),
    (["dcotor"], "Did you mean 'release-linker doctor'?"),
    (
      ["links", "lsit"],
      "'lsit' is not a command of release-linker links. Did you mean 'release-linker links list'?"
    ),
    (["links", "delet", "3"], "Did you mean 'release-linker links delete'?"),
    (
      ["deploy"],
      "'deploy' is not a command of release-linker; the commands are publish, plan, scan, links, doctor, verify."
    ),
  ])
  func aMistypedCommandSuggestsTheNearestOne(arguments: [String], sentence: String) throws {
    let result = try CLIRunner.run(arguments)
    #expect(result.status == 64)
    #expect(result.stderr.contains(sentence), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func realCommandsAndHelpAreNotTakenForTypos() throws {
    for arguments in [["help"], ["help", "publish"], ["links", "--help"], ["--version"]] {
      let result = try CLIRunner.run(arguments)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      #expect(!result.stderr.contains("is not a command"))
    }
  }
}
