/// The human forms of the links GitLab returns, for the `links` commands.
public enum LinkText {
  static let table = TextTable(columns: [
    .init("ID", alignRight: true, shrinkable: false), .init("NAME"),
    .init("TYPE", shrinkable: false), .init("DIRECT ASSET PATH"), .init("URL"),
  ])

  /// Links as a table with a header row, fitted to `width` terminal columns.
  public static func table(_ links: [ReleaseLink], width: Int) -> String {
    table.render(
      links.map { link in
        [String(link.id), link.name, link.linkType.rawValue, link.directAssetPath ?? "-", link.url]
      }, width: width)
  }

  /// One link as labelled lines, nothing cut.
  public static func describe(_ link: ReleaseLink) -> String {
    var rows = [
      ("id", String(link.id)), ("name", link.name), ("url", link.url),
      ("link_type", link.linkType.rawValue),
      ("direct_asset_url", link.directAssetURL),
    ]
    if let path = link.directAssetPath { rows.append(("direct_asset_path", path)) }
    let width = rows.map(\.0.count).max() ?? 0
    return rows.map { label, value in
      label + ":" + String(repeating: " ", count: width - label.count + 2) + value + "\n"
    }.joined()
  }
}
