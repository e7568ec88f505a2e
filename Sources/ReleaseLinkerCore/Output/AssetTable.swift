/// The human form of `scan`: one row per asset with the link it becomes.
///
/// Written a piece at a time (``TextTable/write(rowCount:row:width:chunkSize:to:)``): neither the
/// rows nor the whole table are held beside the links, so the text form of a scan of a million
/// entries takes no more memory than its JSON document.
public enum AssetTable {
  /// The URL column is last, so a long URL is what gets cut first rather than pushing the others.
  static let table = TextTable(columns: [
    .init("ARTIFACT PATH"), .init("SIZE", alignRight: true, shrinkable: false), .init("NAME"),
    .init("DIRECT_ASSET_PATH"), .init("TYPE", shrinkable: false), .init("URL"),
  ])

  /// Hands the table, a header row first, fitted to `width` terminal columns, to `write` in pieces.
  public static func write(_ links: [DerivedLink], width: Int, to write: (String) -> Void) {
    table.write(rowCount: links.count, row: { cells(of: links[$0]) }, width: width, to: write)
  }

  /// The whole table as one string, for small tables.
  public static func render(_ links: [DerivedLink], width: Int) -> String {
    var text = ""
    write(links, width: width) { text += $0 }
    return text
  }

  private static func cells(of link: DerivedLink) -> [String] {
    [
      link.asset.artifactPath, String(link.asset.size), link.name, link.directAssetPath ?? "-",
      link.linkType.rawValue, link.url,
    ]
  }
}
