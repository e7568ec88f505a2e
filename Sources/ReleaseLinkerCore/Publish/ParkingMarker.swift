/// The temporary values a run parks a link on to untangle a swap (two links trading names), and
/// how a later run recognises a link left parked by a run that was killed half-way.
///
/// A parked link carries its own id in a marker, `release-linker-parked-<id>`, after its name and
/// as its URL's fragment (its path too, when that moves). A link whose marker names its own id was
/// parked by release-linker and by nothing else; its values before parking are read back from it,
/// so it is matched like the link it was and then repaired by an update, or removed.
enum ParkingMarker {
  static func marker(for id: Int) -> String { "release-linker-parked-\(id)" }

  /// Temporary values no desired link can have, valid for GitLab, unique per link. The path moves
  /// only when the link's final update sets one, since GitLab cannot clear a path.
  static func fields(for link: ReleaseLink, movingPath: Bool) -> LinkFields {
    let marker = marker(for: link.id)
    let separator = link.url.contains("#") ? "-" : "#"
    return LinkFields(
      name: "\(link.name) (\(marker))", url: link.url + separator + marker,
      directAssetPath: movingPath ? "/.\(marker)" : nil, linkType: link.linkType)
  }

  /// The link as it was before a run parked it, or nil when `link` is not parked. A path moved
  /// to the parking place is not known any more: the original has none.
  static func original(of link: ReleaseLink) -> ReleaseLink? {
    let marker = marker(for: link.id)
    let nameSuffix = " (\(marker))"
    guard link.name.hasSuffix(nameSuffix) else { return nil }
    let url: String
    if link.url.hasSuffix("#" + marker) {
      url = String(link.url.dropLast(marker.count + 1))
    } else if link.url.hasSuffix("-" + marker),
      link.url.dropLast(marker.count + 1).contains("#")
    {
      url = String(link.url.dropLast(marker.count + 1))
    } else {
      return nil
    }
    var original = link
    original.name = String(link.name.dropLast(nameSuffix.count))
    original.url = url
    if link.directAssetPath == "/.\(marker)" {
      original.directAssetPath = nil
      original.directAssetURL = url
    } else if link.directAssetURL == link.url {
      original.directAssetURL = url
    }
    return original
  }
}
