/// The human form of `scan`: one row per asset with the link it becomes.
public enum AssetTable {
  /// The URL column is last, so a long URL is what gets cut first rather than pushing the others.
  static let table = TextTable(columns: [
    .init("ARTIFACT PATH"), .init("SIZE", alignRight: true, shrinkable: false), .init("NAME"),
    .init("DIRECT_ASSET_PATH"), .init("TYPE", shrinkable: false), .init("URL"),
  ])

  /// The table, a header row first, fitted to `width` terminal columns.
  public static func render(_ links: [DerivedLink], width: Int) -> String {
    table.render(
      links.map { link in
        [
          link.asset.artifactPath, String(link.asset.size), link.name,
          link.directAssetPath ?? "-", link.linkType.rawValue, link.url,
        ]
      }, width: width)
  }
}
