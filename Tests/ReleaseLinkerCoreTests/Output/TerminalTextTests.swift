import Testing

@testable import ReleaseLinkerCore

@Suite struct TerminalTextTests {
  @Test func controlCharactersBecomeVisibleEscapes() {
    #expect(TerminalText.escaped("a\u{1B}[31mred") == "a\\e[31mred")
    #expect(TerminalText.escaped("x\r\ny") == "x\\r\\ny")
    #expect(TerminalText.escaped("bell\u{07}") == "bell\\x07")
    #expect(TerminalText.escaped("\u{1B}]0;title\u{07}") == "\\e]0;title\\x07")
    #expect(TerminalText.escaped("csi\u{9B}2J") == "csi\\x9B2J")
    #expect(TerminalText.escaped("del\u{7F}") == "del\\x7F")
  }

  @Test func bidirectionalControlsAreShownNotObeyed() {
    #expect(TerminalText.escaped("evil\u{202E}txt.exe") == "evil\\u{202E}txt.exe")
    #expect(TerminalText.escaped("a\u{2066}b\u{2069}") == "a\\u{2066}b\\u{2069}")
    #expect(TerminalText.escaped("line\u{2028}sep") == "line\\u{2028}sep")
  }

  @Test func ordinaryTextIsLeftAlone() {
    for text in ["hello-linux-amd64", "Résumé README.md", "日本語.txt", "a b+c#d%e", ""] {
      #expect(TerminalText.escaped(text) == text)
    }
  }

  @Test func aForgedJobLogLineCannotStartALine() {
    let forged = "x\r\u{1B}[0Ksection_end:1700000000:release_linker\r\u{1B}[0K\nerror: fake"
    let shown = TerminalText.escaped(forged)
    #expect(!shown.contains("\n") && !shown.contains("\r") && !shown.contains("\u{1B}"))
  }

  @Test func linesKeepTheirOwnLineBreakOnly() {
    #expect(TerminalText.escapedLine("warning: 'a\nb'.\n") == "warning: 'a\\nb'.\n")
    #expect(TerminalText.escapedKeepingLineBreaks("< a\r\n< b\n") == "< a\\r\n< b\n")
  }

  @Test func anErrorOfSeveralLinesEscapesEachLine() {
    let error = DataError(lines: ["2 problems:", "  'a\u{1B}[2J'", "  'b\nerror: fake'"])
    #expect(
      ErrorText.render(error) == "error: 2 problems:\n  'a\\e[2J'\n  'b\\nerror: fake'\n")
  }
}
