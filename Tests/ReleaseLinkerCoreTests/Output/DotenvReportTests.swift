import Testing

@testable import ReleaseLinkerCore

@Suite struct DotenvReportTests {
  @Test func oneVariableALine() throws {
    let text = try DotenvReport.render(tag: "v1.7.0", counts: ActionCounts(create: 2, unchanged: 1))
    #expect(text.hasPrefix("RELEASE_LINKER_TAG=v1.7.0\nRELEASE_LINKER_CREATED=2\n"))
    #expect(text.contains("RELEASE_LINKER_LINKS=3\n"))
    #expect(text.split(separator: "\n").count == 7)
  }

  @Test func aValueThatWouldForgeALineIsRefused() {
    for tag in ["v1\nEVIL=injected", "v1\rEVIL=injected", "v1\u{0}x"] {
      #expect(throws: UsageError.self) {
        try DotenvReport.render(tag: tag, counts: ActionCounts())
      }
    }
  }
}
