/// Text from outside (link names and messages from the server, archive entry names, file names)
/// made safe to show on a terminal or in a GitLab job log.
///
/// A name may hold ESC (colours, cursor moves, OSC sequences that retitle the terminal or forge a
/// `section_end:` line of the job log), CR (overwrite the line), BEL, a line break (a fake
/// `error:` line), or a bidirectional override such as U+202E (`evil‮txt.exe` shows as
/// `evilexe.txt`). Each becomes a visible escape — `\e`, `\r`, `\n`, `\u{202E}` — so what is
/// shown is what is there. The JSON document is never escaped this way: it stays exact.
public enum TerminalText {
  /// `text` with every control character (line breaks included) and bidirectional control shown
  /// as an escape.
  public static func escaped(_ text: String) -> String {
    escape(text, keepingLineBreaks: false)
  }

  /// The same, keeping line feeds: for text whose every line starts with our own marker (the
  /// `--verbose` trace, a message of several lines).
  public static func escapedKeepingLineBreaks(_ text: String) -> String {
    escape(text, keepingLineBreaks: true)
  }

  /// One line of output: everything escaped except a final line feed.
  public static func escapedLine(_ text: String) -> String {
    guard text.hasSuffix("\n") else { return escaped(text) }
    return escaped(String(text.dropLast())) + "\n"
  }

  /// True when `text` holds nothing ``escaped(_:)`` would change.
  public static func isPlain(_ text: String) -> Bool {
    text.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 < 0x80 }
      || !text.unicodeScalars.contains(where: needsEscape)
  }

  private static func escape(_ text: String, keepingLineBreaks: Bool) -> String {
    if isPlain(text) { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      if keepingLineBreaks && scalar == "\n" {
        out.unicodeScalars.append(scalar)
      } else if needsEscape(scalar) {
        out += visible(scalar)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    ControlCharacters.affectsDisplay(scalar)
  }

  private static func visible(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\t": return "\\t"
    case "\u{1B}": return "\\e"
    default:
      let hex = String(scalar.value, radix: 16, uppercase: true)
      return scalar.value < 0x100
        ? "\\x" + (hex.count < 2 ? "0" : "") + hex : "\\u{" + hex + "}"
    }
  }
}

/// A sink for code below Output that writes one line per standard-error call with outside text in
/// it (the scanner's "skipping" warnings): each such line is escaped before it reaches the
/// terminal. Standard output passes through unchanged (it may be the exact JSON document).
public struct EscapingWarningsSink: OutputSink {
  public let wrapped: any OutputSink

  public init(_ wrapped: any OutputSink) {
    self.wrapped = wrapped
  }

  public func standardOutput(_ text: String) { wrapped.standardOutput(text) }

  public func standardError(_ text: String) {
    wrapped.standardError(TerminalText.escapedLine(text))
  }

  public var isTerminal: Bool { wrapped.isTerminal }
}

/// The human form of an error: `error: ` and its message, each of its lines escaped, lines after
/// the first as the message indents them.
public enum ErrorText {
  public static func render(_ error: any ReleaseLinkerError) -> String {
    "error: " + error.messageLines.map(TerminalText.escaped).joined(separator: "\n") + "\n"
  }
}
