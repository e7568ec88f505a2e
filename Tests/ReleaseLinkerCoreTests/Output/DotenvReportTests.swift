import Testing

@testable import ReleaseLinkerCore

@Suite struct DotenvReportTests {
  /// A tag git and GitLab accept (`lib/gitlab/git_ref_validator.rb` refuses only control
  /// characters, space, `~ ^ : ? * [ \`, a leading `-` and git's own `..`, `@{` rules), full of
  /// what sh or GitLab's variable expansion would interpret.
  static let hostileTag = "v1$(touch${IFS}pwned);'\"`touch${IFS}pwned`&|<>#!$HOME%41{x}é"

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

  @Test func anOrdinaryTagIsWrittenAsItIs() {
    for tag in ["v1.7.0", "1.0.0-rc.1", "release/2.0+build.5", "v1_2,3=4@x:y"] {
      #expect(DotenvReport.value(tag) == tag)
    }
  }

  @Test func everyOtherByteIsPercentEncoded() {
    #expect(DotenvReport.value("v1 $x") == "v1%20%24x")
    #expect(DotenvReport.value("100%") == "100%25")
    #expect(DotenvReport.value("é") == "%C3%A9")
    #expect(DotenvReport.value("~'\"`\\") == "%7E%27%22%60%5C")
    let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/:@+,=%".utf8)
    let everyASCII = String(decoding: Array(UInt8(0x20)...UInt8(0x7E)), as: UTF8.self)
    #expect(DotenvReport.value(everyASCII).utf8.allSatisfy(kept.contains))
    #expect(Self.percentDecoded(DotenvReport.value(everyASCII)) == everyASCII)
  }

  /// GitLab reads each line as `parse_dotenv_artifact_service.rb`'s `scan_line!` does:
  /// `line.scan(/^(.*?)=(.*)$/).last`, then `strip!` on key and value; no quote is removed.
  @Test func gitLabsParserReadsTheEncodedTagAndDecodingItGivesTheTag() throws {
    let text = try DotenvReport.render(tag: Self.hostileTag, counts: ActionCounts(create: 1))
    let variables = try Self.gitLabVariables(text)
    #expect(variables.count == 7)
    let value = try #require(variables["RELEASE_LINKER_TAG"])
    #expect(value == DotenvReport.value(Self.hostileTag))
    #expect(!value.contains("$") && !value.contains("`") && !value.contains("'"))
    #expect(Self.percentDecoded(value) == Self.hostileTag)
    #expect(variables["RELEASE_LINKER_CREATED"] == "1")
  }

  static func gitLabVariables(_ text: String) throws -> [String: String] {
    let pattern = try Regex("^(.*?)=(.*)$").anchorsMatchLineEndings()
    var variables: [String: String] = [:]
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
      let match = try #require(line.matches(of: pattern).last)
      let key = try #require(match.output[1].substring)
      let value = try #require(match.output[2].substring)
      variables[rubyStrip(key)] = rubyStrip(value)
    }
    return variables
  }

  /// Ruby's `String#strip`: leading and trailing whitespace and NUL.
  static func rubyStrip(_ text: Substring) -> String {
    let whitespace: Set<Character> = [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{0}"]
    return String(
      text.drop(while: whitespace.contains).reversed().drop(while: whitespace.contains)
        .reversed())
  }

  static func percentDecoded(_ text: String) -> String {
    var bytes: [UInt8] = []
    var utf8 = Array(text.utf8)[...]
    while let byte = utf8.popFirst() {
      if byte == UInt8(ascii: "%"), utf8.count >= 2,
        let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(value)
        utf8 = utf8.dropFirst(2)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
