/// The human form of `scan`: one row per asset with the link it becomes, columns aligned.
public enum AssetTable {
  static let headers = ["ARTIFACT PATH", "SIZE", "NAME", "DIRECT_ASSET_PATH", "TYPE", "URL"]

  /// The table, a header row first; the URL column is last so long URLs do not push the others.
  public static func render(_ links: [DerivedLink]) -> String {
    let rows: [[String]] =
      [headers]
      + links.map { link in
        [
          TerminalText.escaped(link.asset.artifactPath), String(link.asset.size),
          TerminalText.escaped(link.name), link.directAssetPath ?? "-", link.linkType.rawValue,
          TerminalText.escaped(link.url),
        ]
      }
    var widths = [Int](repeating: 0, count: headers.count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    var out = ""
    for row in rows {
      var line = ""
      for (column, cell) in row.enumerated() {
        if column == row.count - 1 {
          line += cell
        } else if column == 1 {
          // Sizes read best right-aligned.
          line += String(repeating: " ", count: widths[column] - cell.count) + cell + "  "
        } else {
          line += cell + String(repeating: " ", count: widths[column] - cell.count) + "  "
        }
      }
      out += line + "\n"
    }
    return out
  }
}
