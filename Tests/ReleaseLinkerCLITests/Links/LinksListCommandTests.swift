import Foundation
import GitLabEmulator
import Testing

/// Terminal columns of a line whose wide characters are the CJK ideographs the tests use.
private func columns(_ text: Substring) -> Int {
  text.unicodeScalars.reduce(0) { $0 + ((0x3000...0x9FFF).contains($1.value) ? 2 : 1) }
}

/// `links list`: a table that fits the terminal and lines up wide names (issue 12).
extension LinksCommandTests {
  @Test func theListTableFitsTheWidthAndLinesUpWideNames() throws {
    try withEmulator { emulator in
      seed(emulator)
      let long = "https://downloads.example.com/" + String(repeating: "deep/", count: 30) + "x.bin"
      emulator.addLink(projectID: 24, tag: "v0.1", name: "发布说明", url: long)
      emulator.addLink(
        projectID: 24, tag: "v0.1", name: "tool", url: "https://example.com/tool",
        directAssetPath: "/bin/tool")
      for (variables, width) in [([String: String](), 80), (["COLUMNS": "60"], 60)] {
        let result = try CLIRunner.run(
          ["links", "list"], environment: environment(emulator).merging(variables) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4, "a header, two links and the count: \(result.stdout)")
        for line in lines.prefix(3) { #expect(columns(line) <= width, "\(line)") }
        #expect(lines.contains { $0.contains("…") && $0.hasSuffix("x.bin") })
        // The type column starts at the same terminal column on every row.
        let starts = lines.prefix(3).compactMap { line in
          (line.range(of: " TYPE ") ?? line.range(of: " other "))
            .map { columns(line[..<$0.lowerBound]) }
        }
        #expect(starts.count == 3 && Set(starts).count == 1, "\(result.stdout)")
      }
    }
  }
}
