/// The steps that bring a release's links to the desired set, and the order their writes must take.
public struct ReleasePlan: Sendable, Equatable {
  /// One step per desired link (in the artifacts' order), then one per deleted link.
  public var steps: [PlannedStep]
  /// Writes grouped in waves: every write of a wave may run in parallel, and a wave starts only once
  /// the previous one has finished, because it takes a name, URL or path an earlier wave frees.
  public var waves: [[WriteOperation]]
  /// The existing links no desired link matched and that stay, because `prune` was not asked for.
  public var kept: [ReleaseLink]

  /// Decides create, update, unchanged and delete for every link.
  ///
  /// - Parameters:
  ///   - desired: the links the artifacts call for (already checked for collisions).
  ///   - existing: every link the release has now.
  ///   - prune: delete existing links that no desired link matched.
  public init(desired: [DerivedLink], existing: [ReleaseLink], prune: Bool) {
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
    for (position, link) in existing.enumerated() where !matched.contains(position) {
      if prune {
        steps.append(PlannedStep(action: .delete, desired: nil, existing: link))
      } else {
        kept.append(link)
      }
    }
    let ordering = WriteOrdering(steps: steps, kept: kept)
    self.steps = ordering.steps
    self.waves = ordering.waves
    self.kept = kept
  }

  /// The plan of a run that never read the release: one step per desired link, none of them sent.
  public init(unread desired: [DerivedLink]) {
    steps = desired.map { PlannedStep(action: .create, desired: $0, existing: nil) }
    waves = []
    kept = []
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
