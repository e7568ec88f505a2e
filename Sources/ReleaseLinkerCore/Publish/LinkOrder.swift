/// The order in which the release page shows the links a run creates (`--order`).
///
/// GitLab lists a release's links newest first: the API's list and the release entity present
/// `release.links.sorted`, and the release page's GraphQL `sorted_links`, both
/// `order(created_at: :desc)` (gitlab-org/gitlab `app/models/releases/link.rb`, `app/models/release.rb`,
/// `lib/api/release/links.rb`, `app/graphql/types/release_assets_type.rb`). No API call moves a link, so
/// the only way to choose the order is the order of the creates themselves: one at a time, the link
/// meant to be shown last first. That costs one round trip per created link instead of
/// `--concurrency` in flight, which is why the default is `none`.
public enum LinkOrder: String, Sendable, CaseIterable {
  /// By name, in byte order (`A` before `a`, `app-10` before `app-2`).
  case name
  /// By `direct_asset_path` (a link without one by its name), in byte order.
  case path
  /// In the order the assets were given: PATHs (folders walked in byte order), archives, artifacts
  /// jobs, then manifests (by file name), each manifest in its own order.
  case input
  /// Creates run in parallel and the page shows them in whatever order GitLab committed them.
  case none

  /// The indices of `steps` (all creates) in the order their requests must be sent, so that the
  /// release page, newest first, shows them in this order from the top; nil for ``none``.
  func sendingOrder(of creates: [Int], in steps: [PlannedStep]) -> [Int]? {
    func key(_ index: Int) -> [UInt8] {
      guard let link = steps[index].desired else { return [] }
      switch self {
      case .name: return Array(link.name.utf8)
      case .path: return Array((link.directAssetPath ?? link.name).utf8)
      case .input, .none: return []
      }
    }
    switch self {
    case .none: return nil
    case .input: return creates.sorted(by: >)
    case .name, .path:
      let keys = Dictionary(uniqueKeysWithValues: creates.map { ($0, key($0)) })
      // Shown first means created last: descending order of the keys, ties by position.
      return creates.sorted { left, right in
        let a = keys[left] ?? []
        let b = keys[right] ?? []
        return a == b ? left > right : b.lexicographicallyPrecedes(a)
      }
    }
  }
}
