/// A release's links plus the release itself, as `publish` needs them.
public protocol ReleaseAccess: ReleaseLinkStore {
  /// Every link of the release, or nil when the release does not exist.
  func existingLinks() throws -> [ReleaseLink]?
  /// Creates the release; a release that already exists (409, e.g. a concurrent job) is fine.
  func createRelease(_ draft: ReleaseDraft) throws
}

/// What `publish` was asked to do beyond the links themselves.
public struct PublishOptions: Sendable {
  public var prune: Bool
  /// Which unmatched links `prune` may delete.
  public var pruneScope: PruneScope
  /// The order the release page shows the created links in.
  public var order: LinkOrder
  public var dryRun: Bool
  /// Create the release first when it is missing.
  public var createRelease: ReleaseDraft?
  public var concurrency: Int
  /// How many times one create may be sent (after re-reading showed it did not land).
  public var maximumAttempts: Int

  public init(
    prune: Bool = false, pruneScope: PruneScope = .everything, order: LinkOrder = .none,
    dryRun: Bool = false, createRelease: ReleaseDraft? = nil, concurrency: Int = 4,
    maximumAttempts: Int = 3
  ) {
    self.prune = prune
    self.pruneScope = pruneScope
    self.order = order
    self.dryRun = dryRun
    self.createRelease = createRelease
    self.concurrency = concurrency
    self.maximumAttempts = maximumAttempts
  }
}

/// How a publish run ended: the plan, one result per step, and the exit status they add up to.
public struct PublishOutcome: Sendable {
  public var plan: ReleasePlan
  public var results: [StepResult]
  /// True when the run created the release (or, in a dry run, would have).
  public var createdRelease: Bool
  /// The release the run created, or in a dry run would create.
  public var releaseDraft: ReleaseDraft?
  /// False when the release's links could not be read: then no step's action is known (a link
  /// planned as `create` may well exist), only that it was not attempted.
  public var actionsKnown: Bool

  public init(
    plan: ReleasePlan, results: [StepResult], createdRelease: Bool,
    releaseDraft: ReleaseDraft? = nil, actionsKnown: Bool = true
  ) {
    self.plan = plan
    self.results = results
    self.createdRelease = createdRelease
    self.releaseDraft = releaseDraft
    self.actionsKnown = actionsKnown
  }

  /// 0 when every link is in the desired state; 77 after a refused token; 69 when GitLab stayed
  /// unavailable; 1 for any other failure.
  public var exitStatus: ExitStatus {
    let kinds = results.filter { $0.status == .failed }.map { $0.failureKind ?? .rejected }
    if kinds.isEmpty { return .success }
    if kinds.contains(.authentication) { return .noPermission }
    // A write whose outcome stayed unknown after every attempt means GitLab kept failing.
    if kinds.contains(.unavailable) || kinds.contains(.ambiguous) { return .unavailable }
    return .failures
  }

  /// Each link counted once: under its action when it was done (or, in a dry run, planned), else
  /// as failed. The counts add up to the number of links, and say what the release now holds.
  public var counts: ActionCounts {
    var counts = ActionCounts()
    for (index, step) in plan.steps.enumerated() {
      if index < results.count, results[index].status == .failed {
        counts.failed += 1
        continue
      }
      switch step.action {
      case .create: counts.create += 1
      case .update: counts.update += 1
      case .unchanged: counts.unchanged += 1
      case .delete: counts.delete += 1
      }
    }
    return counts
  }
}

/// The release named by the tag does not exist and `--create-release` was not given (exit 1).
public struct ReleaseMissingError: ReleaseLinkerError {
  public let tag: String
  public let project: String

  public var exitStatus: ExitStatus { .failures }
  public var message: String {
    "The release for tag '\(tag)' does not exist in project '\(project)'. Create it first (a "
      + "`release:` job, or `glab release create`), or pass --create-release to let release-linker "
      + "create it."
  }
}

/// Reconciles a release's links with the desired set: read, plan, then (unless a dry run) write.
public enum Publisher {
  public static func publish(
    _ desired: [DerivedLink], to release: any ReleaseAccess, project: String, tag: String,
    options: PublishOptions
  ) throws -> PublishOutcome {
    var createdRelease = false
    var existing: [ReleaseLink]
    if let links = try release.existingLinks() {
      existing = links
    } else if let draft = options.createRelease {
      if !options.dryRun { try release.createRelease(draft) }
      createdRelease = true
      // A concurrent creator may have added links already; a dry run has nothing to re-read.
      existing = options.dryRun ? [] : (try release.existingLinks() ?? [])
    } else {
      throw ReleaseMissingError(tag: tag, project: project)
    }

    let plan = ReleasePlan(
      desired: desired, existing: existing, prune: options.prune, scope: options.pruneScope,
      order: options.order)
    let results: [StepResult]
    if options.dryRun {
      results = plan.steps.map { step in
        StepResult(
          status: step.conflict == nil ? .planned : .failed,
          link: step.action == .unchanged ? step.existing : nil, error: step.conflict,
          failureKind: step.conflict == nil ? nil : .rejected)
      }
    } else {
      results = PlanExecutor(
        store: release, concurrency: options.concurrency,
        maximumAttempts: options.maximumAttempts
      ).execute(plan)
    }
    return PublishOutcome(
      plan: plan, results: results, createdRelease: createdRelease,
      releaseDraft: createdRelease ? options.createRelease : nil)
  }
}
