/// Refuses links whose name, URL or path holds the token, in any form the redactor knows: an
/// artifacts archive from a server (or a proxy) that echoes requests back may name its entries
/// after the token it was sent, and a link would show it to everyone who can read the release.
enum LinksHoldingSecrets {
  static func refuse(_ links: [DerivedLink], connection: GitLabConnection) throws(DataError) {
    let redactor = connection.transport.redactor
    let holding = links.filter { link in
      [link.name, link.url, link.directAssetPath ?? "", link.asset.artifactPath]
        .contains(where: redactor.reveals)
    }
    guard !holding.isEmpty else { return }
    let count = holding.count == 1 ? "1 asset holds" : "\(holding.count) assets hold"
    throw DataError(
      "\(count) the token in its name, URL or path; nothing was linked, since a link would show "
        + "the token to everyone who can read the release. Entries named after the token come "
        + "from a server, or a proxy in front of it, that echoes requests back.")
  }
}
