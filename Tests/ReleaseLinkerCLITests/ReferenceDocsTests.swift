import Foundation
import Testing

/// docs/reference is generated from the built commands' `--help`; a flag added, renamed or removed
/// without regenerating it fails here.
@Suite struct ReferenceDocsTests {
  static let committed = CIRepository.root.appendingPathComponent("docs/reference")

  @Test func referenceDocsMatchTheBuiltCommands() throws {
    let fresh = FileManager.default.temporaryDirectory
      .appendingPathComponent("reference-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: fresh) }
    let binary = CLIRunner.productsDirectory.appendingPathComponent("release-linker").path
    let script = CIRepository.root.appendingPathComponent("scripts/generate-reference.sh").path

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [script, binary, fresh.path]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "generate-reference.sh failed: \(stderr)")

    let expected = try contents(of: fresh)
    let actual = try contents(of: Self.committed)
    #expect(!expected.isEmpty, "the generator wrote nothing")
    let missing = Set(expected.keys).subtracting(actual.keys).sorted()
    let stale = Set(actual.keys).subtracting(expected.keys).sorted()
    let changed = expected.keys.filter { actual[$0] != nil && actual[$0] != expected[$0] }.sorted()
    #expect(
      missing.isEmpty && stale.isEmpty && changed.isEmpty,
      """
      docs/reference is out of date: run `make docs` and commit the result.
      missing: \(missing) no longer generated: \(stale) differing: \(changed)
      """)
  }

  @Test func everyCommandHasAPageAndTheManPageNamesIt() throws {
    let pages = try contents(of: Self.committed)
    let index = try #require(pages["README.md"], "docs/reference/README.md is missing")
    let manual = try #require(
      pages["release-linker.1"], "docs/reference/release-linker.1 is missing")
    let root = try CLIRunner.run(["--help"], environment: ["COLUMNS": "200"])
    for command in [""] + ReleaseLinkerHelp.subcommands(in: root.stdout) {
      let page = "release-linker" + (command.isEmpty ? "" : "-\(command)") + ".md"
      #expect(pages[page] != nil, "no page \(page)")
      #expect(index.contains("(\(page))"), "the index does not link \(page)")
      if !command.isEmpty {
        #expect(manual.contains(".B release\\-linker \(command)"), "the man page omits \(command)")
      }
    }
  }

  private func contents(of directory: URL) throws -> [String: String] {
    var files: [String: String] = [:]
    guard FileManager.default.fileExists(atPath: directory.path) else { return files }
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
      files[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
    return files
  }
}
