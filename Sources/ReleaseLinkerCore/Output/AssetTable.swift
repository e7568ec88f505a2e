/// The human form of `scan`: one row per asset with the link it becomes, columns aligned.
///
/// The table is written a piece at a time: one pass over the links finds the column widths, a
/// second renders each row and hands it on. Neither the rows nor the whole table are ever held
/// beside the links, so the text form of a scan of a million entries takes no more memory than
/// its JSON document.
public enum AssetTable {
  static let headers = ["ARTIFACT PATH", "SIZE", "NAME", "DIRECT_ASSET_PATH", "TYPE", "URL"]

  /// Hands the table to `write` in pieces of about `chunkSize` bytes, a header row first; the URL
  /// column is last so long URLs do not push the others.
  public static func write(
    _ links: [DerivedLink], chunkSize: Int = 65_536, to write: (String) -> Void
  ) {
    var widths = headers.map(\.count)
    for link in links {
      for (column, cell) in cells(of: link).enumerated() {
        widths[column] = max(widths[column], cell.count)
      }
    }
    var out = line(headers, widths: widths)
    for link in links {
      out += line(cells(of: link), widths: widths)
      if out.utf8.count >= chunkSize {
        write(out)
        out = ""
      }
    }
    write(out)
  }

  /// The whole table as one string, for small tables.
  public static func render(_ links: [DerivedLink]) -> String {
    var text = ""
    write(links) { text += $0 }
    return text
  }

  /// A row's cells: names and URLs come from files, so they are escaped for the terminal.
  private static func cells(of link: DerivedLink) -> [String] {
    [
      TerminalText.escaped(link.asset.artifactPath), String(link.asset.size),
      TerminalText.escaped(link.name), link.directAssetPath ?? "-", link.linkType.rawValue,
      TerminalText.escaped(link.url),
    ]
  }

  private static func line(_ cells: [String], widths: [Int]) -> String {
    var line = ""
    for (column, cell) in cells.enumerated() {
      if column == cells.count - 1 {
        line += cell
      } else if column == 1 {
        // Sizes read best right-aligned.
        line += String(repeating: " ", count: widths[column] - cell.count) + cell + "  "
      } else {
        line += cell + String(repeating: " ", count: widths[column] - cell.count) + "  "
      }
    }
    return line + "\n"
  }
}
