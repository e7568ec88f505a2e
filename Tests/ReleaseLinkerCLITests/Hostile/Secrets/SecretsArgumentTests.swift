import Foundation
import Testing

/// A token on a command line is visible to every user of the machine (`/proc/PID/cmdline`, `ps`)
/// and lands in shell traces: the bundled template, the component, the examples, the project's
/// own pipeline and the documentation never pass one as an argument, and no option of the tool
/// takes one.
@Suite struct SecretsArgumentTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The variables that hold tokens, as a shell would expand them.
  static let tokenExpansions = [
    "$CI_JOB_TOKEN", "${CI_JOB_TOKEN", "$GITLAB_TOKEN", "${GITLAB_TOKEN",
  ]

  static func files(under folder: String, endingWith suffixes: [String]) -> [URL] {
    let base = root.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
    return walker.compactMap { $0 as? String }.filter { name in
      suffixes.contains { name.hasSuffix($0) }
    }.map { base.appendingPathComponent($0) }
  }

  @Test func theTemplatesAndExamplesPassNoTokenAsAnArgument() throws {
    let yaml =
      Self.files(under: "templates", endingWith: [".yml", ".yaml"])
      + Self.files(under: "ci-templates", endingWith: [".yml", ".yaml"])
      + [Self.root.appendingPathComponent(".gitlab-ci.yml")]
    #expect(yaml.count >= 6, "\(yaml)")
    for file in yaml {
      let text = try String(contentsOf: file, encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
        .enumerated()
      {
        let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        for expansion in Self.tokenExpansions {
          #expect(!code.contains(expansion), "\(file.lastPathComponent):\(number + 1): \(line)")
        }
        #expect(!code.contains("--token "), "\(file.lastPathComponent):\(number + 1): \(line)")
        #expect(!code.contains("--token="), "\(file.lastPathComponent):\(number + 1): \(line)")
      }
    }
  }

  /// Every command line of release-linker in README.md and docs/.
  @Test func theDocumentationPassesNoTokenAsAnArgument() throws {
    let documents =
      [Self.root.appendingPathComponent("README.md")]
      + Self.files(under: "docs", endingWith: [".md", ".1"])
    for file in documents {
      let text = try String(contentsOf: file, encoding: .utf8)
      for line in text.split(separator: "\n") where line.contains("release-linker ") {
        for expansion in Self.tokenExpansions {
          #expect(!line.contains(expansion), "\(file.lastPathComponent): \(line)")
        }
        #expect(!line.contains("--token "), "\(file.lastPathComponent): \(line)")
        #expect(!line.contains("--token="), "\(file.lastPathComponent): \(line)")
      }
    }
  }

  /// No option of any command takes a token; `--token-file` names a file.
  @Test func noOptionTakesAToken() throws {
    for command in [
      ["publish"], ["plan"], ["scan"], ["doctor"], ["verify"], ["links", "list"],
      ["links", "get"], ["links", "create"], ["links", "update"], ["links", "delete"],
    ] {
      let help = try CLIRunner.run(command + ["--help"])
      #expect(help.status == 0, "\(command): \(help.allOutput)")
      let options = help.stdout.split(separator: "\n").filter { $0.contains("--") }
        .flatMap { $0.split(separator: " ") }.filter {
          $0.hasPrefix("--") && $0.lowercased().contains("token")
        }
      let names = options.map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: ",.:;[]<>=()"))
      }
      #expect(Set(names).isSubset(of: ["--token-file"]), "\(command): \(options)")
    }
  }
}
