/// Orders a plan's writes so that GitLab's uniqueness rules never refuse one.
///
/// Name, URL and `direct_asset_path` are each unique within a release. A write that takes a value
/// another link holds must wait until that link's update or deletion has freed it; two links that swap
/// values wait on each other, so one of them is first parked on temporary values. A value held by a
/// link the run keeps (not matched, no `--prune`) can never be freed: that step gets a conflict
/// sentence instead of a request that would fail.
struct WriteOrdering {
  private(set) var steps: [PlannedStep]
  private(set) var waves: [[WriteOperation]] = []

  private enum Value: Hashable, CustomStringConvertible {
    case name(String)
    case url(String)
    case path(String)

    var description: String {
      switch self {
      case .name(let value): "name '\(value)'"
      case .url(let value): "URL '\(value)'"
      case .path(let value): "direct_asset_path '\(value)'"
      }
    }
  }

  init(steps: [PlannedStep], kept: [ReleaseLink]) {
    self.steps = steps
    var holder: [Value: Int] = [:]
    var stepOfLink: [Int: Int] = [:]
    for (index, step) in steps.enumerated() {
      guard let link = step.existing else { continue }
      stepOfLink[link.id] = index
      for value in Self.values(of: link) { holder[value] = link.id }
    }
    var keptLinks: [Int: ReleaseLink] = [:]
    for link in kept {
      keptLinks[link.id] = link
      for value in Self.values(of: link) { holder[value] = link.id }
    }

    var dependencies: [Int: Set<Int>] = [:]
    var writes: [Int] = []
    for (index, step) in steps.enumerated() where step.isWrite {
      guard let desired = step.desired else {
        writes.append(index)  // a deletion frees values and waits for nothing
        continue
      }
      var waitsFor = Set<Int>()
      var problems: [String] = []
      for value in Self.values(of: desired) {
        guard let owner = holder[value], owner != step.existing?.id else { continue }
        if let keptLink = keptLinks[owner] {
          problems.append(
            "its \(value) is held by link \(keptLink.id) ('\(keptLink.name)'), which no artifact "
              + "matches: delete that link or re-run with --prune")
        } else if let other = stepOfLink[owner], Self.frees(steps[other], value) {
          waitsFor.insert(other)
        } else {
          problems.append("its \(value) is held by link \(owner), which keeps it")
        }
      }
      if problems.isEmpty {
        dependencies[index] = waitsFor
        writes.append(index)
      } else {
        self.steps[index].conflict =
          "Cannot \(step.action.rawValue) this link: "
          + problems.joined(separator: "; ") + "."
      }
    }
    waves = Self.layer(writes: writes, dependencies: dependencies)
  }

  private static func values(of link: ReleaseLink) -> [Value] {
    [.name(link.name), .url(link.url)] + (link.directAssetPath.map { [.path($0)] } ?? [])
  }

  private static func values(of link: DerivedLink) -> [Value] {
    [.name(link.name), .url(link.url)] + (link.directAssetPath.map { [.path($0)] } ?? [])
  }

  /// Whether carrying out `step` releases `value` from its existing link.
  private static func frees(_ step: PlannedStep, _ value: Value) -> Bool {
    switch step.action {
    case .delete: return true
    case .create, .unchanged: return false
    case .update:
      guard let desired = step.desired else { return true }
      return !values(of: desired).contains(value)
    }
  }

  /// Assigns each write the first wave after everything it waits for; breaks cycles by parking.
  private static func layer(
    writes: [Int], dependencies: [Int: Set<Int>]
  ) -> [[WriteOperation]] {
    var level: [Int: Int] = [:]
    var parked = Set<Int>()
    while level.count < writes.count {
      var progressed = false
      for index in writes where level[index] == nil {
        var wave = parked.contains(index) ? 1 : 0
        var ready = true
        for other in dependencies[index, default: []] {
          if parked.contains(other) {
            wave = max(wave, 1)  // the park, in wave 0, already freed the value
          } else if let otherLevel = level[other] {
            wave = max(wave, otherLevel + 1)
          } else {
            ready = false
            break
          }
        }
        if ready {
          level[index] = wave
          progressed = true
        }
      }
      if !progressed, let cyclic = firstInCycle(writes, dependencies, level, parked) {
        parked.insert(cyclic)
      } else if !progressed {
        break  // cannot happen: every unresolved write waits on a cycle
      }
    }
    let depth = (level.values.max() ?? -1) + 1
    var waves = [[WriteOperation]](repeating: [], count: depth)
    for index in parked.sorted() { waves[0].append(.park(index)) }
    for index in writes {
      if let wave = level[index] { waves[wave].append(.step(index)) }
    }
    return waves.filter { !$0.isEmpty }
  }

  /// Follows unresolved dependencies from the first unresolved write until a write repeats.
  private static func firstInCycle(
    _ writes: [Int], _ dependencies: [Int: Set<Int>], _ level: [Int: Int], _ parked: Set<Int>
  ) -> Int? {
    guard var current = writes.first(where: { level[$0] == nil }) else { return nil }
    var seen = Set<Int>()
    while !seen.contains(current) {
      seen.insert(current)
      let pending = dependencies[current, default: []]
        .filter { level[$0] == nil && !parked.contains($0) }.sorted()
      guard let next = pending.first else { return nil }
      current = next
    }
    return current
  }
}
