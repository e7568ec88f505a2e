/// Columns of text, aligned and fitted to a width: the one renderer of `scan`'s asset table and
/// `links list`'s table.
///
/// A table never wraps: when the columns do not fit the width, the widest shrinkable columns are
/// cut, in the middle (`dist/very-lo…/app.deb`), so both the start and the end of a path or URL
/// stay. Widths are terminal columns, so names with wide (CJK) characters line up too. A row is
/// never longer than its cells need, however long another row's cell is.
public struct TextTable: Sendable {
  /// One column: its header, how cells sit in it, and whether it may be cut to fit.
  public struct Column: Sendable {
    public var header: String
    public var alignRight: Bool
    public var shrinkable: Bool

    public init(_ header: String, alignRight: Bool = false, shrinkable: Bool = true) {
      self.header = header
      self.alignRight = alignRight
      self.shrinkable = shrinkable
    }
  }

  public var columns: [Column]
  /// Spaces between two columns.
  public static let gap = 2
  /// A cut column keeps at least this many terminal columns (or its header's width, if wider).
  public static let minimumCutWidth = 8

  public init(columns: [Column]) {
    self.columns = columns
  }

  /// The header row and every row, each line fitted to `width` terminal columns where the
  /// columns' minimum widths allow it.
  public func render(_ rows: [[String]], width: Int) -> String {
    let widths = fittedWidths(rows, width: width)
    var out = line(columns.map(\.header), widths: widths)
    for row in rows { out += line(row, widths: widths) }
    return out
  }

  /// The width of each column: its widest cell, then cut, widest first, until the line fits.
  func fittedWidths(_ rows: [[String]], width: Int) -> [Int] {
    var widths = columns.map { TextWidth.of($0.header) }
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], TextWidth.of(cell))
      }
    }
    let minimums = columns.enumerated().map { index, column in
      column.shrinkable
        ? min(widths[index], max(TextWidth.of(column.header), Self.minimumCutWidth))
        : widths[index]
    }
    var excess = widths.reduce(0, +) + Self.gap * max(0, columns.count - 1) - width
    while excess > 0 {
      let candidates = widths.indices.filter { widths[$0] > minimums[$0] }
      guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
      // Bring the widest down to the next widest (or its minimum) in one step.
      let next = candidates.filter { $0 != widest }.map { widths[$0] }.max() ?? 0
      let step = max(1, min(excess, widths[widest] - max(next, minimums[widest])))
      widths[widest] -= step
      excess -= step
    }
    return widths
  }

  private func line(_ cells: [String], widths: [Int]) -> String {
    var text = ""
    for (index, width) in widths.enumerated() {
      let cell = index < cells.count ? TextWidth.fitting(cells[index], into: width) : ""
      let padding = String(repeating: " ", count: max(0, width - TextWidth.of(cell)))
      let isLast = index == widths.count - 1
      if columns[index].alignRight {
        text += padding + cell
      } else {
        text += cell + (isLast ? "" : padding)
      }
      if !isLast { text += String(repeating: " ", count: Self.gap) }
    }
    return text + "\n"
  }
}

/// How many terminal columns text takes: East Asian wide and fullwidth characters (CJK, Hangul,
/// fullwidth forms, emoji) take two, combining marks and format characters none, others one.
public enum TextWidth {
  public static func of(_ text: String) -> Int {
    // Most cells are ASCII: one column per byte.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
    return text.reduce(0) { $0 + of($1) }
  }

  public static func of(_ character: Character) -> Int {
    guard let first = character.unicodeScalars.first else { return 0 }
    if character.unicodeScalars.contains("\u{FE0F}") && first.properties.isEmoji { return 2 }
    return of(first)
  }

  static func of(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
    if value < 0x300 { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if (0x1160...0x11FF).contains(value) { return 0 }  // Hangul vowels and finals join the syllable
    if scalar.properties.isEmojiPresentation { return 2 }
    return wideRanges.contains { $0.contains(value) } ? 2 : 1
  }

  /// The East Asian Wide (W) and Fullwidth (F) blocks of Unicode's EastAsianWidth.txt, emoji aside.
  static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
    0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
    0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
    0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F251, 0x20000...0x2FFFD,
    0x30000...0x3FFFD,
  ]

  /// `text` when it fits in `width` columns, else its start and end around a `…`.
  public static func fitting(_ text: String, into width: Int) -> String {
    guard of(text) > width else { return text }
    guard width > 1 else { return width == 1 ? "…" : "" }
    let characters = Array(text)
    let budget = width - 1
    let headBudget = (budget + 1) / 2
    var head = ""
    var used = 0
    for character in characters {
      let columns = of(character)
      if used + columns > headBudget { break }
      head.append(character)
      used += columns
    }
    var tail: [Character] = []
    var tailUsed = 0
    for character in characters.reversed() {
      let columns = of(character)
      if used + tailUsed + columns > budget { break }
      tail.append(character)
      tailUsed += columns
    }
    return head + "…" + String(tail.reversed())
  }
}

/// The width a table may take: `COLUMNS` when set, else the terminal's width when standard
/// output is one, else 80.
public enum OutputWidth {
  public static func columns(environment: Environment, sink: any OutputSink) -> Int {
    if let text = environment["COLUMNS"], let value = Int(text), value > 0 { return value }
    return sink.standardOutputColumns ?? 80
  }
}
