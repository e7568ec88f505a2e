import Testing

@testable import ReleaseLinkerCore

@Suite struct TextTableTests {
  let table = TextTable(columns: [
    .init("NAME"), .init("SIZE", alignRight: true, shrinkable: false), .init("URL"),
  ])

  @Test func columnsAreAsWideAsTheirWidestCellWhenTheyFit() {
    let text = table.render(
      [["a", "1", "https://x/a"], ["bbb", "22", "https://x/bbb"]], width: 80)
    #expect(
      text == """
        NAME  SIZE  URL
        a        1  https://x/a
        bbb     22  https://x/bbb

        """)
  }

  @Test func theWidestColumnIsCutInTheMiddleUntilTheLineFits() {
    let url = "https://gitlab.example.com/" + String(repeating: "x", count: 60) + "/file.deb"
    let text = table.render([["hello", "12", url]], width: 40)
    let lines = text.split(separator: "\n")
    #expect(lines.allSatisfy { TextWidth.of(String($0)) <= 40 })
    #expect(lines[1].hasPrefix("hello    12  https://"))
    #expect(lines[1].hasSuffix("file.deb"))
    #expect(lines[1].contains("…"))
  }

  @Test func aColumnIsNeverCutBelowItsMinimumNorANumberAtAll() {
    let widths = table.fittedWidths(
      [[String(repeating: "n", count: 50), "123456789", String(repeating: "u", count: 50)]],
      width: 10)
    #expect(widths == [TextTable.minimumCutWidth, 9, TextTable.minimumCutWidth])
  }

  @Test func oneLongCellDoesNotLengthenTheOtherRows() {
    let rows =
      [[String(repeating: "n", count: 65_536), "1", "u"]] + (0..<100).map { _ in ["a", "1", "u"] }
    let text = table.render(rows, width: 80)
    #expect(text.split(separator: "\n").allSatisfy { TextWidth.of(String($0)) <= 80 })
    #expect(text.utf8.count < 102 * 85)
  }

  @Test(arguments: [
    ("abc", 3), ("日本語", 6), ("한국어", 6), ("ｆｕｌｌ", 8), ("e\u{301}", 1), ("🚀", 2),
    ("a\u{200B}b", 2),
  ])
  func widthsAreTerminalColumns(text: String, columns: Int) {
    #expect(TextWidth.of(text) == columns)
  }

  @Test func cuttingWideTextNeverSplitsACharacterOrOverflows() {
    let cut = TextWidth.fitting("日本語のファイル名.txt", into: 9)
    #expect(TextWidth.of(cut) <= 9)
    #expect(cut.contains("…"))
    #expect(cut.hasPrefix("日本"))
    #expect(cut.hasSuffix("txt"))
  }

  @Test func theWidthComesFromColumnsElseTheTerminalElse80() {
    #expect(
      OutputWidth.columns(environment: Environment(["COLUMNS": "132"]), sink: CapturingSink())
        == 132)
    #expect(
      OutputWidth.columns(environment: Environment(["COLUMNS": "0"]), sink: CapturingSink()) == 80)
    #expect(OutputWidth.columns(environment: Environment([:]), sink: CapturingSink()) == 80)
  }
}
