import Synchronization

/// Carries out a plan's writes, wave by wave, with up to `concurrency` requests in flight.
///
/// A write whose outcome is unknown is never blindly resent, and never costs a listing of its
/// own: the writes of a wave that ended unsettled (an ambiguous answer, "has already been taken",
/// GitLab unavailable) are settled together by one reading of the release's links when the wave
/// is over. A write counts as done when the server already holds what it asked for; a create
/// that was refused as "already taken" and is found in place was made by someone else (another
/// run of the same job) and counts as `unchanged`. A create that did not land is sent again, at
/// most `maximumAttempts` times in all.
///
/// Every link gets its chance when another fails, except when nothing else can succeed: a 401 or
/// 403, a ``RunStoppingError`` (a wait longer than `--max-wait`, the `--deadline`), or
/// `consecutiveFailureLimit` writes in a row failing because GitLab is unavailable. The run then stops at once, and every write not yet
/// sent is reported as not attempted, with the reason.
public struct PlanExecutor: Sendable {
  public let store: any ReleaseLinkStore
  public let concurrency: Int
  /// How many times one create may be sent after re-reading showed the previous one did not land.
  public let maximumAttempts: Int
  /// After this many writes in a row fail with GitLab unavailable, the remaining ones are not sent.
  public let consecutiveFailureLimit: Int
  /// The run's `--deadline`: no write starts after it.
  public let deadline: Deadline?

  public static let defaultConsecutiveFailureLimit = 10

  public init(
    store: any ReleaseLinkStore, concurrency: Int, maximumAttempts: Int,
    consecutiveFailureLimit: Int = PlanExecutor.defaultConsecutiveFailureLimit,
    deadline: Deadline? = nil
  ) {
    self.store = store
    self.concurrency = max(1, concurrency)
    self.maximumAttempts = max(1, maximumAttempts)
    self.consecutiveFailureLimit = max(1, consecutiveFailureLimit)
    self.deadline = deadline
  }

  /// Runs every write of `plan`; returns one result per step, in the plan's order.
  public func execute(_ plan: ReleasePlan) -> [StepResult] {
    let run = RunState(count: plan.steps.count)
    for (index, step) in plan.steps.enumerated() {
      if let conflict = step.conflict {
        run.record(index, StepResult(status: .failed, error: conflict, failureKind: .rejected))
      } else if step.action == .unchanged {
        run.record(index, StepResult(status: .done, link: step.existing))
      }
    }
    for wave in plan.waves {
      var pending = wave.map { Pending(operation: $0, attempts: 0) }
      while !pending.isEmpty {
        let unsettled = runRound(pending, plan: plan, run: run)
        pending = settle(unsettled, plan: plan, run: run)
      }
    }
    return run.finalResults()
  }

  // MARK: Rounds

  /// A write still to send, and how many times it was sent before.
  private struct Pending: Sendable {
    var operation: WriteOperation
    var attempts: Int
  }

  /// What one sending of a write leaves to find out.
  private struct Unsettled: Sendable {
    enum Expectation: Sendable {
      case created(LinkFields)
      case updated(id: Int, LinkFields)
      case deleted(id: Int)
    }

    var pending: Pending
    var expectation: Expectation
    var error: any Error
    var kind: WriteFailureKind
  }

  private enum Outcome: Sendable {
    case finished(StepResult)
    case unsettled(Unsettled)
  }

  /// Sends each pending write once, in parallel; returns those whose outcome is unknown.
  private func runRound(_ pending: [Pending], plan: ReleasePlan, run: RunState) -> [Unsettled] {
    let next = Atomic<Int>(0)
    let unsettled = Locked<[Unsettled]>([])
    BlockingWorkers.run(count: min(concurrency, pending.count)) { _ in
      while true {
        let position = next.add(1, ordering: .relaxed).oldValue
        guard position < pending.count else { return }
        var item = pending[position]
        let index = item.operation.stepIndex
        if let deadline, deadline.hasPassed {
          run.stop(
            kind: .unavailable,
            reason: DeadlinePassedError(deadline: deadline, context: "before this write").message)
        }
        if let stop = run.stop {
          run.recordIfEmpty(
            index,
            StepResult(status: .failed, error: "Not sent: \(stop.reason)", failureKind: stop.kind))
          continue
        }
        if run.hasFailed(index) { continue }  // its park failed
        item.attempts += 1
        let outcome = perform(item, of: plan.steps[index])
        switch outcome {
        case .finished(let result):
          note(
            result.status == .failed ? result.failureKind : nil, stopsRun: result.stopsRun,
            error: result.error, run: run)
          if case .step = item.operation {
            run.record(index, result)
          } else if result.status == .failed {
            run.record(index, result)
          }
        case .unsettled(let open):
          note(open.kind, stopsRun: false, error: Self.sentence(open.error), run: run)
          unsettled.withLock { $0.append(open) }
        }
      }
    }
    return unsettled.withLock { $0 }
  }

  /// Counts writes failing in a row with GitLab unavailable, and stops the run when a failure
  /// means nothing else can succeed.
  private func note(_ kind: WriteFailureKind?, stopsRun: Bool, error: String?, run: RunState) {
    guard let kind else {
      run.consecutiveFailures.store(0, ordering: .relaxed)
      return
    }
    if stopsRun {
      run.stop(kind: kind, reason: error ?? "the token was refused.")
      return
    }
    guard kind == .unavailable || kind == .ambiguous else {
      run.consecutiveFailures.store(0, ordering: .relaxed)
      return
    }
    let count = run.consecutiveFailures.add(1, ordering: .relaxed).newValue
    if count >= consecutiveFailureLimit {
      run.stop(
        kind: .unavailable,
        reason:
          "GitLab failed \(count) writes in a row (the last: \(error ?? "no answer")), so the "
          + "remaining writes were not sent. Re-run the job once GitLab answers again: a re-run "
          + "sends only what is missing.")
    }
  }

  /// One reading of the links settles every unsettled write of a round; returns the creates to
  /// send again.
  private func settle(_ unsettled: [Unsettled], plan: ReleasePlan, run: RunState) -> [Pending] {
    guard !unsettled.isEmpty else { return [] }
    let links: [ReleaseLink]?
    if run.stop == nil, !(deadline?.hasPassed ?? false) {
      links = try? store.listLinks()
    } else {
      links = nil  // nothing more is sent once the run has stopped
    }
    var resend: [Pending] = []
    for open in unsettled {
      let index = open.pending.operation.stepIndex
      let isPark: Bool
      if case .park = open.pending.operation { isPark = true } else { isPark = false }
      guard let links else {
        run.record(index, .failed(open.error))
        continue
      }
      switch open.expectation {
      case .created(let fields):
        if let landed = links.first(where: { Self.holds($0, fields) }) {
          // Refused as taken, yet there exactly as asked: another run created it first.
          let madeElsewhere = open.kind == .alreadyTaken
          run.record(
            index,
            StepResult(status: .done, link: landed, settledAs: madeElsewhere ? .unchanged : nil))
        } else if open.kind != .alreadyTaken && open.pending.attempts < maximumAttempts
          && run.stop == nil
        {
          resend.append(open.pending)
        } else {
          run.record(index, .failed(open.error))
        }
      case .updated(let id, let fields):
        // An update sets absolute values, so the server either holds them or not.
        if let landed = links.first(where: { $0.id == id && Self.holds($0, fields) }) {
          if !isPark { run.record(index, StepResult(status: .done, link: landed)) }
        } else {
          run.record(index, .failed(open.error))
        }
      case .deleted(let id):
        if !links.contains(where: { $0.id == id }) {
          run.record(index, StepResult(status: .done))
        } else {
          run.record(index, .failed(open.error))
        }
      }
    }
    return resend
  }

  // MARK: One write

  private func perform(_ item: Pending, of step: PlannedStep) -> Outcome {
    switch item.operation {
    case .park:
      guard let link = step.existing else { return .finished(StepResult(status: .done)) }
      return update(
        link.id, ParkingMarker.fields(for: link, movingPath: step.desired?.directAssetPath != nil),
        item)
    case .step:
      switch step.action {
      case .create:
        guard let fields = step.fields else { return .finished(StepResult(status: .done)) }
        return create(fields, item)
      case .update:
        guard let fields = step.fields, let link = step.existing else {
          return .finished(StepResult(status: .done))
        }
        return update(link.id, fields, item, orCreate: true)
      case .delete:
        guard let link = step.existing else { return .finished(StepResult(status: .done)) }
        return delete(link.id, item)
      case .unchanged:
        return .finished(StepResult(status: .done, link: step.existing))
      }
    }
  }

  private func create(_ fields: LinkFields, _ item: Pending) -> Outcome {
    do {
      return .finished(StepResult(status: .done, link: try store.createLink(fields)))
    } catch {
      let kind = WriteFailureKind(error)
      // The create may have landed, or another run's may have: look before sending it again.
      guard kind == .ambiguous || kind == .alreadyTaken || kind == .unavailable,
        !(error is any RunStoppingError)
      else {
        return .finished(.failed(error))
      }
      return .unsettled(
        Unsettled(pending: item, expectation: .created(fields), error: error, kind: kind))
    }
  }

  private func update(_ id: Int, _ fields: LinkFields, _ item: Pending, orCreate: Bool = false)
    -> Outcome
  {
    do {
      return .finished(StepResult(status: .done, link: try store.updateLink(id: id, fields)))
    } catch {
      if error is any RunStoppingError { return .finished(.failed(error)) }
      let kind = WriteFailureKind(error)
      switch kind {
      case .notFound where orCreate:
        // Someone deleted the link since it was listed: the asset still needs one.
        return create(fields, item)
      case .ambiguous, .unavailable:
        return .unsettled(
          Unsettled(pending: item, expectation: .updated(id: id, fields), error: error, kind: kind))
      default:
        return .finished(.failed(error))
      }
    }
  }

  private func delete(_ id: Int, _ item: Pending) -> Outcome {
    do {
      _ = try store.deleteLink(id: id)
      return .finished(StepResult(status: .done))
    } catch {
      if error is any RunStoppingError { return .finished(.failed(error)) }
      let kind = WriteFailureKind(error)
      switch kind {
      case .notFound:
        return .finished(StepResult(status: .done))  // already gone: the desired state
      case .ambiguous, .unavailable:
        return .unsettled(
          Unsettled(pending: item, expectation: .deleted(id: id), error: error, kind: kind))
      default:
        return .finished(.failed(error))
      }
    }
  }

  /// Whether `link` carries every value `fields` sets.
  static func holds(_ link: ReleaseLink, _ fields: LinkFields) -> Bool {
    (fields.name == nil || link.name == fields.name)
      && (fields.url == nil || link.url == fields.url)
      && (fields.linkType == nil || link.linkType == fields.linkType)
      && (fields.directAssetPath == nil || link.directAssetPath == fields.directAssetPath)
  }

  private static func sentence(_ error: any Error) -> String {
    (error as? any ReleaseLinkerError)?.message ?? "\(error)"
  }
}

extension WriteOperation {
  /// The index of the plan step this write belongs to.
  var stepIndex: Int {
    switch self {
    case .step(let index), .park(let index): index
    }
  }
}

/// The results of a run so far, why it stopped (if it did), and the failures in a row; shared by
/// the worker threads.
private final class RunState: Sendable {
  struct Stop: Sendable {
    var kind: WriteFailureKind
    var reason: String
  }

  private let results: Locked<[StepResult?]>
  private let stopReason = Locked<Stop?>(nil)
  let consecutiveFailures = Atomic<Int>(0)

  init(count: Int) {
    results = Locked(.init(repeating: nil, count: count))
  }

  var stop: Stop? { stopReason.withLock { $0 } }

  /// The first reason to stop wins.
  func stop(kind: WriteFailureKind, reason: String) {
    stopReason.withLock { $0 = $0 ?? Stop(kind: kind, reason: reason) }
  }

  func record(_ index: Int, _ result: StepResult) {
    results.withLock { $0[index] = result }
  }

  func recordIfEmpty(_ index: Int, _ result: StepResult) {
    results.withLock { $0[index] = $0[index] ?? result }
  }

  func hasFailed(_ index: Int) -> Bool {
    results.withLock { $0[index]?.status == .failed }
  }

  func finalResults() -> [StepResult] {
    let stop = self.stop
    return results.withLock { stored in
      stored.map { result in
        result
          ?? StepResult(
            status: .failed,
            error: stop.map { "Not sent: \($0.reason)" }
              ?? "Not attempted: an earlier write it depends on failed.",
            failureKind: stop?.kind ?? .rejected)
      }
    }
  }
}
