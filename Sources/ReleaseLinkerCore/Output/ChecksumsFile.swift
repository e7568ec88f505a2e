/// A `sha256sum -c` file: one line per asset, `<64 hex digits>  <name>`.
///
/// A name holding a backslash or a line break is written the way GNU coreutils writes it: the line
/// starts with `\`, and the name's `\` and line feed become `\\` and `\n`.
public enum ChecksumsFile {
  public static func render(_ entries: [(name: String, sha256: String)]) -> String {
    var text = ""
    for entry in entries {
      if entry.name.contains("\\") || entry.name.contains("\n") || entry.name.contains("\r") {
        var escaped = ""
        for character in entry.name.unicodeScalars {
          switch character {
          case "\\": escaped += "\\\\"
          case "\n": escaped += "\\n"
          case "\r": escaped += "\\r"
          default: escaped.unicodeScalars.append(character)
          }
        }
        text += "\\\(entry.sha256)  \(escaped)\n"
      } else {
        text += "\(entry.sha256)  \(entry.name)\n"
      }
    }
    return text
  }
}
