/// The steps that bring a release's links to the desired set, and the order their writes must take.
public struct ReleasePlan: Sendable, Equatable {
  /// One step per desired link (in the artifacts' order), then one per deleted link.
  public var steps: [PlannedStep]
  /// Writes grouped in waves: every write of a wave may run in parallel, and a wave starts only once
  /// the previous one has finished, because it takes a name, URL or path an earlier wave frees.
  public var waves: [[WriteOperation]]
  /// The existing links no desired link matched and that stay: `prune` was not asked for, or it
  /// may not delete them (``keptBecause``).
  public var kept: [ReleaseLink]
  /// Why each link of ``kept`` stays, in the same order.
  public var keptBecause: [KeepReason]

  /// Decides create, update, unchanged and delete for every link.
  ///
  /// - Parameters:
  ///   - desired: the links the artifacts call for (already checked for collisions).
  ///   - existing: every link the release has now.
  ///   - prune: delete existing links that no desired link matched, within `scope`.
  ///   - scope: which unmatched links `prune` may delete (`--prune-scope`, `--prune-foreign`).
  ///   - order: the order the release page shows the created links in; anything but `none` sends
  ///     the creates one at a time, after every other write.
  public init(
    desired: [DerivedLink], existing: [ReleaseLink], prune: Bool,
    scope: PruneScope = .everything, order: LinkOrder = .none
  ) {
    let matches = LinkMatcher.match(desired: desired, existing: existing)
    var steps: [PlannedStep] = []
    for (position, link) in desired.enumerated() {
      if let match = matches[position] {
        let current = existing[match]
        let action: PlannedStep.Action = Self.isSatisfied(current, by: link) ? .unchanged : .update
        steps.append(PlannedStep(action: action, desired: link, existing: current))
      } else {
        steps.append(PlannedStep(action: .create, desired: link, existing: nil))
      }
    }
    let matched = Set(matches.compactMap { $0 })
    var kept: [ReleaseLink] = []
    var keptBecause: [KeepReason] = []
    for (position, link) in existing.enumerated() where !matched.contains(position) {
      if let reason = prune ? scope.reasonToKeep(link) : .notPruning {
        kept.append(link)
        keptBecause.append(reason)
      } else {
        steps.append(PlannedStep(action: .delete, desired: nil, existing: link))
      }
    }
    let ordering = WriteOrdering(steps: steps, kept: kept)
    self.steps = ordering.steps
    self.kept = kept
    self.keptBecause = keptBecause
    self.waves = Self.ordering(ordering.waves, steps: ordering.steps, by: order)
  }

  /// `waves` with every create taken out and sent alone, one wave each, after all other writes, in
  /// `order`. Nothing waits for a create (it frees no name, URL or path), so moving creates later
  /// never breaks a dependency; sent one after the other, each is committed, and so dated, after
  /// the one before.
  private static func ordering(
    _ waves: [[WriteOperation]], steps: [PlannedStep], by order: LinkOrder
  ) -> [[WriteOperation]] {
    guard order != .none else { return waves }
    var creates: [Int] = []
    var others: [[WriteOperation]] = []
    for wave in waves {
      var rest: [WriteOperation] = []
      for operation in wave {
        if case .step(let index) = operation, steps[index].action == .create {
          creates.append(index)
        } else {
          rest.append(operation)
        }
      }
      if !rest.isEmpty { others.append(rest) }
    }
    let sequence = order.sendingOrder(of: creates, in: steps) ?? creates
    return others + sequence.map { [.step($0)] }
  }

  /// The plan of a run that never read the release: one step per desired link, none of them sent.
  public init(unread desired: [DerivedLink]) {
    steps = desired.map { PlannedStep(action: .create, desired: $0, existing: nil) }
    waves = []
    kept = []
    keptBecause = []
  }

  /// The number of steps per action.
  public func count(of action: PlannedStep.Action) -> Int {
    steps.count { $0.action == action }
  }

  /// True when the existing link already has every field the desired one asks for. Without a
  /// `direct_asset_path` (`--no-direct-asset-path`) the path is left as the server has it: GitLab
  /// cannot clear it.
  static func isSatisfied(_ existing: ReleaseLink, by desired: DerivedLink) -> Bool {
    existing.name == desired.name && existing.url == desired.url
      && existing.linkType == desired.linkType
      && (desired.directAssetPath == nil || existing.directAssetPath == desired.directAssetPath)
  }
}

/// One write request of a plan.
public enum WriteOperation: Sendable, Equatable {
  /// Carry out the step at this index of ``ReleasePlan/steps``.
  case step(Int)
  /// Move the existing link of the step at this index to temporary values, freeing its name, URL and
  /// path for another link of the same wave chain; its own update comes in a later wave. This breaks
  /// a cycle such as two links swapping names.
  case park(Int)
}
