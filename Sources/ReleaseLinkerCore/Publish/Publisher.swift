/// A release's links plus the release itself, as `publish` needs them.
public protocol ReleaseAccess: ReleaseLinkStore {
  /// The release, or nil when it does not exist.
  func readRelease() throws -> ReleaseSnapshot?
  /// Creates the release with `links` in the same request; ``ReleaseCreation/alreadyExists`` when
  /// it exists (409, e.g. a concurrent job). Never resends blindly: an unknown outcome is thrown.
  func createRelease(_ draft: ReleaseDraft, links: [LinkFields]) throws -> ReleaseCreation
  /// Changes the release's fields.
  func updateRelease(_ changes: ReleaseChanges) throws -> ReleaseSnapshot
}

/// What `publish` was asked to do beyond the links themselves.
public struct PublishOptions: Sendable {
  public var prune: Bool
  /// Which unmatched links `prune` may delete.
  public var pruneScope: PruneScope
  /// The order the release page shows the created links in.
  public var order: LinkOrder
  public var dryRun: Bool
  /// Creating a missing release and keeping its fields in step.
  public var release: ReleaseRequest
  public var concurrency: Int
  /// How many times one create may be sent (after re-reading showed it did not land).
  public var maximumAttempts: Int
  /// The most links the release's create request carries; the rest go through the links API.
  public var linksPerReleaseCreate: Int
  /// The run's `--deadline`: no write starts after it.
  public var deadline: Deadline?
  /// After this many writes in a row fail with GitLab unavailable, the rest are not sent.
  public var consecutiveFailureLimit: Int

  public init(
    prune: Bool = false, pruneScope: PruneScope = .everything, order: LinkOrder = .none,
    dryRun: Bool = false, release: ReleaseRequest = ReleaseRequest(), concurrency: Int = 4,
    maximumAttempts: Int = 3, linksPerReleaseCreate: Int = ReleaseDraft.maximumLinksPerRequest,
    deadline: Deadline? = nil,
    consecutiveFailureLimit: Int = PlanExecutor.defaultConsecutiveFailureLimit
  ) {
    self.prune = prune
    self.pruneScope = pruneScope
    self.order = order
    self.dryRun = dryRun
    self.release = release
    self.concurrency = concurrency
    self.maximumAttempts = maximumAttempts
    self.linksPerReleaseCreate = max(0, linksPerReleaseCreate)
    self.deadline = deadline
    self.consecutiveFailureLimit = consecutiveFailureLimit
  }
}

/// How a publish run ended: the plan, one result per step, and the exit status they add up to.
public struct PublishOutcome: Sendable {
  public var plan: ReleasePlan
  public var results: [StepResult]
  /// What happened to the release itself; nil when the run neither created nor checked it.
  public var release: ReleaseResult?
  /// The release the run created, or in a dry run would create.
  public var releaseDraft: ReleaseDraft?
  /// False when the release's links could not be read: then no step's action is known (a link
  /// planned as `create` may well exist), only that it was not attempted.
  public var actionsKnown: Bool

  public init(
    plan: ReleasePlan, results: [StepResult], release: ReleaseResult? = nil,
    releaseDraft: ReleaseDraft? = nil, actionsKnown: Bool = true
  ) {
    self.plan = plan
    self.results = results
    self.release = release
    self.releaseDraft = releaseDraft
    self.actionsKnown = actionsKnown
  }

  /// The outcome of a run that created the release, or would have in a dry run, with nothing else
  /// to say about it.
  public init(
    plan: ReleasePlan, results: [StepResult], createdRelease: Bool,
    releaseDraft: ReleaseDraft? = nil, actionsKnown: Bool = true
  ) {
    self.init(
      plan: plan, results: results,
      release: createdRelease ? ReleaseResult(action: .create, status: .done) : nil,
      releaseDraft: releaseDraft, actionsKnown: actionsKnown)
  }

  /// True when the run created the release (or, in a dry run, would have).
  public var createdRelease: Bool { release?.action == .create && release?.status != .failed }

  /// 0 when every link is in the desired state; 77 after a refused token; 69 when GitLab stayed
  /// unavailable, asked for too long a wait, or the deadline passed; 1 for any other failure.
  public var exitStatus: ExitStatus {
    var failures = results.filter { $0.status == .failed }
    if let release, release.status == .failed {
      failures.append(StepResult(status: .failed, failureKind: release.failureKind))
    }
    let kinds = failures.map { $0.failureKind ?? .rejected }
    if kinds.isEmpty { return .success }
    if kinds.contains(.authentication) { return .noPermission }
    // A write whose outcome stayed unknown after every attempt means GitLab kept failing.
    if kinds.contains(.unavailable) || kinds.contains(.ambiguous) { return .unavailable }
    return .failures
  }

  /// What step `index` turned out to do: the plan's action, unless settling found otherwise (a
  /// create another run made first is `unchanged`).
  public func action(at index: Int) -> PlannedStep.Action {
    (index < results.count ? results[index].settledAs : nil) ?? plan.steps[index].action
  }

  /// Each link counted once: under its action when it was done (or, in a dry run, planned), else
  /// as failed. The counts add up to the number of links, and say what the release now holds.
  public var counts: ActionCounts {
    var counts = ActionCounts()
    for index in plan.steps.indices {
      if index < results.count, results[index].status == .failed {
        counts.failed += 1
        continue
      }
      switch action(at: index) {
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

/// Reconciles a release with what the job asks: the release itself (created when missing, its
/// fields kept in step), then its links: read, plan, then (unless a dry run) write.
public enum Publisher {
  public static func publish(
    _ desired: [DerivedLink], to release: any ReleaseAccess, project: String, tag: String,
    options: PublishOptions
  ) throws -> PublishOutcome {
    if let current = try release.readRelease() {
      return try publish(desired, toExisting: current, release, options: options, result: nil)
    }
    guard options.release.create else { throw ReleaseMissingError(tag: tag, project: project) }
    return try publishNewRelease(desired, release, tag: tag, options: options)
  }

  /// The release exists: bring its fields in step when asked, then its links.
  private static func publish(
    _ desired: [DerivedLink], toExisting current: ReleaseSnapshot, _ release: any ReleaseAccess,
    options: PublishOptions, result: ReleaseResult?
  ) throws -> PublishOutcome {
    var releaseResult = result
    if options.release.update {
      let changes = options.release.changes(from: current)
      if changes.isEmpty {
        releaseResult = releaseResult ?? ReleaseResult(action: .unchanged, status: .done)
      } else if options.dryRun {
        releaseResult = ReleaseResult(
          action: .update, status: .planned, fields: changes.fieldNames)
      } else {
        do {
          _ = try release.updateRelease(changes)
          releaseResult = ReleaseResult(action: .update, status: .done, fields: changes.fieldNames)
        } catch {
          // A refused token would refuse every link too: stop, as a link write would.
          if WriteFailureKind(error) == .authentication || error is any RunStoppingError {
            throw error
          }
          let failed = StepResult.failed(error)
          releaseResult = ReleaseResult(
            action: .update, status: .failed, fields: changes.fieldNames, error: failed.error,
            failureKind: failed.failureKind)
        }
      }
    }
    let existing = try release.listLinks()
    let plan = ReleasePlan(
      desired: desired, existing: existing, prune: options.prune, scope: options.pruneScope,
      order: options.order)
    return PublishOutcome(
      plan: plan, results: execute(plan, on: release, options: options), release: releaseResult)
  }

  /// The release is missing: one create request carries it and the first links; the links API
  /// takes the rest. A create whose answer was lost is settled by reading the release.
  private static func publishNewRelease(
    _ desired: [DerivedLink], _ release: any ReleaseAccess, tag: String, options: PublishOptions
  ) throws -> PublishOutcome {
    let plan = ReleasePlan(desired: desired, existing: [], prune: false, order: options.order)
    let carried = plan.steps.indices.filter {
      plan.steps[$0].action == .create && plan.steps[$0].conflict == nil
    }
    // One request leaves the order of its links to GitLab; an order asked for (`--order`) takes
    // the links API, one create after the other.
    let perCreate = options.order == .none ? options.linksPerReleaseCreate : 0
    let draft = options.release.draft(tag: tag)
    if options.dryRun {
      return PublishOutcome(
        plan: plan, results: dryRunResults(plan),
        release: ReleaseResult(
          action: .create, status: .planned, linksCarried: min(carried.count, perCreate)),
        releaseDraft: draft)
    }
    switch try createRelease(
      draft, carrying: Array(carried.prefix(perCreate)), of: plan, release, options: options)
    {
    case .settled(let current, let result, let ours):
      var outcome = try publish(
        desired, toExisting: current, release, options: options, result: result)
      // Our create landed: the report shows what it asked for.
      if ours { outcome.releaseDraft = draft }
      return outcome
    case .created(let created, let carried):
      return PublishOutcome(
        plan: plan,
        results: linkResults(plan, carried: carried, created: created, release, options: options),
        release: ReleaseResult(action: .create, status: .done, linksCarried: carried.count),
        releaseDraft: draft)
    }
  }

  /// How a release create ended: created by this request (with the links it carried), or found
  /// existing (another job's, or ours whose answer was lost), to be reconciled like any other.
  private enum CreateResult {
    case created(ReleaseSnapshot, carried: [Int])
    case settled(ReleaseSnapshot, ReleaseResult, ours: Bool)
  }

  /// Sends the create, carrying the links at `carried` of `plan`; a body the server finds too
  /// large is sent again without links, and a lost answer is settled by reading the release.
  private static func createRelease(
    _ draft: ReleaseDraft, carrying carried: [Int], of plan: ReleasePlan,
    _ release: any ReleaseAccess, options: PublishOptions
  ) throws -> CreateResult {
    var carried = carried
    var attempts = 0
    while true {
      attempts += 1
      let answer: ReleaseCreation
      do {
        answer = try release.createRelease(
          draft, links: carried.compactMap { plan.steps[$0].fields })
      } catch let error as GitLabAPIError where isTooLarge(error) && !carried.isEmpty {
        // A server that limits bodies more tightly: create the release alone, links one by one.
        carried = []
        continue
      } catch let createError {
        let kind = WriteFailureKind(createError)
        guard kind == .ambiguous || kind == .unavailable else { throw createError }
        // The create may have happened although its answer was lost: look before sending it again.
        // A look that fails too leaves the outcome unknown, so nothing is sent again.
        let lookup = Result { try release.readRelease() }
        guard case .success(let current) = lookup else { throw createError }
        if let current {
          return .settled(
            current,
            ReleaseResult(
              action: .create, status: .done, linksCarried: carried.count,
              note: "the answer to its create request was lost; GitLab holds it"),
            ours: true)
        }
        guard attempts < options.maximumAttempts else { throw createError }
        continue
      }
      switch answer {
      case .created(let snapshot):
        return .created(snapshot, carried: carried)
      case .alreadyExists:
        // Another job created it first: what it holds now is what the links are matched with.
        guard let current = try release.readRelease() else {
          throw ReleaseVanishedError(tag: draft.tag)
        }
        return .settled(
          current,
          ReleaseResult(
            action: .create, status: .done,
            note: "it already existed: another job created it meanwhile"),
          ours: false)
      }
    }
  }

  /// Each carried link is done when the created release holds it as asked; the links API takes
  /// every other one.
  private static func linkResults(
    _ plan: ReleasePlan, carried: [Int], created: ReleaseSnapshot, _ release: any ReleaseAccess,
    options: PublishOptions
  ) -> [StepResult] {
    var results = [StepResult?](repeating: nil, count: plan.steps.count)
    var unclaimed = created.links
    for index in carried {
      guard let fields = plan.steps[index].fields,
        let position = unclaimed.firstIndex(where: { PlanExecutor.holds($0, fields) })
      else { continue }
      results[index] = StepResult(status: .done, link: unclaimed.remove(at: position))
    }
    let leftover = plan.steps.indices.filter { results[$0] == nil }
    if !leftover.isEmpty {
      let rest = ReleasePlan(
        desired: leftover.compactMap { plan.steps[$0].desired }, existing: unclaimed, prune: false,
        order: options.order)
      let restResults = execute(rest, on: release, options: options)
      for (position, index) in leftover.enumerated() where position < restResults.count {
        results[index] = restResults[position]
      }
    }
    return results.map { $0 ?? StepResult(status: .failed, failureKind: .rejected) }
  }

  private static func execute(
    _ plan: ReleasePlan, on release: any ReleaseAccess, options: PublishOptions
  ) -> [StepResult] {
    if options.dryRun { return dryRunResults(plan) }
    return PlanExecutor(
      store: release, concurrency: options.concurrency, maximumAttempts: options.maximumAttempts,
      consecutiveFailureLimit: options.consecutiveFailureLimit, deadline: options.deadline
    ).execute(plan)
  }

  private static func dryRunResults(_ plan: ReleasePlan) -> [StepResult] {
    plan.steps.map { step in
      StepResult(
        status: step.conflict == nil ? .planned : .failed,
        link: step.action == .unchanged ? step.existing : nil, error: step.conflict,
        failureKind: step.conflict == nil ? nil : .rejected)
    }
  }

  /// GitLab's JSON validation (`Gitlab::Json::StreamValidator`) answers 400 "Array parameter too
  /// large" or "Too many total parameters"; a proxy may answer 413.
  private static func isTooLarge(_ error: GitLabAPIError) -> Bool {
    if error.status == 413 { return true }
    let message = error.gitLabMessage.lowercased()
    return error.status == 400
      && (message.contains("too large") || message.contains("too many total parameters"))
  }
}

/// The release answered 409 "already exists" and then could not be read (exit 1).
public struct ReleaseVanishedError: ReleaseLinkerError {
  public let tag: String
  public var exitStatus: ExitStatus { .failures }
  public var message: String {
    "GitLab says the release for tag '\(tag)' already exists, but it cannot be read: it may have "
      + "been deleted meanwhile. Run the job again."
  }
}
