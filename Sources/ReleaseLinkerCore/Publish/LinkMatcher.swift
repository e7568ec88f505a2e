/// Pairs each desired link with at most one existing link of the release.
///
/// Matching runs in three passes over the whole set — by `direct_asset_path`, then by name, then by
/// URL — so a link found by its path is never taken by another link's weaker name or URL match.
///
/// A link an interrupted run left parked is matched by the values it had before (`originals`),
/// after every link that really holds a value: a parked copy never takes a match from a real link.
enum LinkMatcher {
  /// For each desired link (same order), the index of its existing link, or nil.
  /// - Parameter originals: per existing link, the values to match it by instead of its own (a
  ///   parked link's), or nil.
  static func match(
    desired: [DerivedLink], existing: [ReleaseLink], originals: [ReleaseLink?]? = nil
  ) -> [Int?] {
    var result = [Int?](repeating: nil, count: desired.count)
    var taken = Set<Int>()
    let originals = originals ?? Array(repeating: nil, count: existing.count)

    func pass(_ key: (DerivedLink) -> String?, _ existingKey: (ReleaseLink) -> String?) {
      var index: [String: Int] = [:]
      for (position, link) in existing.enumerated()
      where !taken.contains(position) && originals[position] == nil {
        // Values are unique within a release, but keep the first on a server that lets them repeat.
        if let value = existingKey(link), index[value] == nil { index[value] = position }
      }
      for (position, original) in originals.enumerated() where !taken.contains(position) {
        if let original, let value = existingKey(original), index[value] == nil {
          index[value] = position
        }
      }
      for (position, link) in desired.enumerated() where result[position] == nil {
        guard let value = key(link), let match = index[value], !taken.contains(match) else {
          continue
        }
        result[position] = match
        taken.insert(match)
      }
    }

    pass(\.directAssetPath, \.directAssetPath)
    pass({ $0.name }, { $0.name })
    pass({ $0.url }, { $0.url })
    return result
  }
}
