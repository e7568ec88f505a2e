/// A GitLab `artifacts:reports:dotenv` file: later jobs of the pipeline see these as variables.
///
/// Two readers read it, and they disagree about quotes. GitLab
/// (`app/services/ci/parse_dotenv_artifact_service.rb` in gitlab-org/gitlab, `scan_line!`) splits
/// each line with `/^(.*?)=(.*)$/` and strips the whitespace around key and value; it keeps quotes
/// as part of the value, and it creates the variables with `raw: false`, so a later job sees
/// `$NAME` in a value expanded. A later job that runs `. ./release.env` reads it with sh, which
/// would run `$(…)` or a backquote and split on spaces. No quoting suits both, so values are
/// written unquoted and hold only characters neither reader interprets; every other byte is
/// percent-encoded (``value(_:)``).
public enum DotenvReport {
  /// `RELEASE_LINKER_TAG`, the counts per action and the number failed, one `KEY=value` a line.
  ///
  /// GitLab's parser historically took fewer than 10 variables, no comments and no empty lines,
  /// so the file stays plain: seven variables. A value holding a line break would end its line and
  /// start a variable of its own (`EVIL=injected`), so a tag with a control character is refused,
  /// not written.
  public static func render(tag: String?, counts: ActionCounts) throws(UsageError) -> String {
    let tag = tag ?? ""
    if tag.unicodeScalars.contains(where: ControlCharacters.isControl) {
      throw UsageError(
        "The tag holds a control character (a line break, say), which would forge a line of the "
          + "dotenv report; the report was not written.")
    }
    var lines: [String] = []
    lines.append("RELEASE_LINKER_TAG=\(value(tag))")
    lines.append("RELEASE_LINKER_CREATED=\(counts.create)")
    lines.append("RELEASE_LINKER_UPDATED=\(counts.update)")
    lines.append("RELEASE_LINKER_UNCHANGED=\(counts.unchanged)")
    lines.append("RELEASE_LINKER_DELETED=\(counts.delete)")
    lines.append("RELEASE_LINKER_FAILED=\(counts.failed)")
    lines.append("RELEASE_LINKER_LINKS=\(counts.create + counts.update + counts.unchanged)")
    return lines.joined(separator: "\n") + "\n"
  }

  /// `value` as it is written after `KEY=`: ASCII letters and digits and `. _ - / : @ + , =` stay as
  /// they are (an ordinary tag such as `v1.7.0` or `release/2.0+build` is unchanged); every other
  /// byte of its UTF-8, `%` included, becomes `%XX`. So `$`, quotes, backquotes, spaces, `;`, `&`,
  /// `|`, `<`, `>`, `(`, `)`, `\`, `*`, `?`, `[`, `#`, `!`, `{`, `}` and `~` never reach sh or
  /// GitLab's expansion, and decoding the value gives the tag back.
  public static func value(_ value: String) -> String {
    PercentEncoding.encoding(value, keeping: isKept)
  }

  private static func isKept(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      true
    case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"),
      UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "+"), UInt8(ascii: ","),
      UInt8(ascii: "="):
      true
    default:
      false
    }
  }
}
