import Synchronization

/// Carries out a plan's writes, wave by wave, with up to `concurrency` requests in flight.
///
/// A write whose outcome is unknown is never blindly resent: the release's links are re-read, and the
/// write counts as done when the server already holds the desired link. Every link gets its chance
/// when another fails, except after a 401 or 403, which stops the run at once.
public struct PlanExecutor: Sendable {
  public let store: any ReleaseLinkStore
  public let concurrency: Int
  /// How many times one create may be sent after re-reading showed the previous one did not land.
  public let maximumAttempts: Int

  public init(store: any ReleaseLinkStore, concurrency: Int, maximumAttempts: Int) {
    self.store = store
    self.concurrency = max(1, concurrency)
    self.maximumAttempts = max(1, maximumAttempts)
  }

  /// Runs every write of `plan`; returns one result per step, in the plan's order.
  public func execute(_ plan: ReleasePlan) -> [StepResult] {
    let results = Mutex<[StepResult?]>(.init(repeating: nil, count: plan.steps.count))
    let stopped = Mutex<(reason: String, kind: WriteFailureKind)?>(nil)
    for (index, step) in plan.steps.enumerated() {
      if let conflict = step.conflict {
        results.withLock {
          $0[index] = StepResult(status: .failed, error: conflict, failureKind: .rejected)
        }
      } else if step.action == .unchanged {
        results.withLock { $0[index] = StepResult(status: .done, link: step.existing) }
      }
    }

    for wave in plan.waves {
      let next = Atomic<Int>(0)
      BlockingWorkers.run(count: min(concurrency, wave.count)) { _ in
        while true {
          let position = next.add(1, ordering: .relaxed).oldValue
          guard position < wave.count else { return }
          let operation = wave[position]
          let index: Int
          switch operation {
          case .step(let step), .park(let step): index = step
          }
          if let stop = stopped.withLock({ $0 }) {
            results.withLock {
              $0[index] =
                $0[index]
                ?? StepResult(
                  status: .failed, error: "Not attempted: \(stop.reason)", failureKind: stop.kind)
            }
            continue
          }
          if results.withLock({ $0[index]?.status == .failed }) { continue }  // its park failed
          let result = perform(operation, of: plan.steps[index])
          if result.stopsRun {
            stopped.withLock {
              $0 = $0 ?? (result.error ?? "the token was refused.", result.failureKind ?? .rejected)
            }
          }
          if case .step = operation {
            results.withLock { $0[index] = result }
          } else if result.status == .failed {
            results.withLock { $0[index] = result }
          }
        }
      }
    }
    return results.withLock { stored in
      stored.enumerated().map { index, result in
        result
          ?? StepResult(
            status: .failed, error: "Not attempted: an earlier write it depends on failed.",
            failureKind: .rejected)
      }
    }
  }

  private func perform(_ operation: WriteOperation, of step: PlannedStep) -> StepResult {
    switch operation {
    case .park:
      guard let link = step.existing else { return StepResult(status: .done) }
      return update(
        link.id, Self.parkingFields(for: link, movingPath: step.desired?.directAssetPath != nil))
    case .step:
      switch step.action {
      case .create:
        guard let fields = step.fields else { return StepResult(status: .done) }
        return create(fields)
      case .update:
        guard let fields = step.fields, let link = step.existing else {
          return StepResult(status: .done)
        }
        return update(link.id, fields, orCreate: true)
      case .delete:
        guard let link = step.existing else { return StepResult(status: .done) }
        return delete(link.id)
      case .unchanged:
        return StepResult(status: .done, link: step.existing)
      }
    }
  }

  private func create(_ fields: LinkFields) -> StepResult {
    var lastError: (any Error)?
    for _ in 0..<maximumAttempts {
      do {
        return StepResult(status: .done, link: try store.createLink(fields))
      } catch {
        lastError = error
        let kind = WriteFailureKind(error)
        guard kind == .ambiguous || kind == .alreadyTaken || kind == .unavailable,
          !(error is any RunStoppingError)
        else {
          return .failed(error)
        }
        // The create may have landed: look before sending it again.
        guard let links = try? store.listLinks() else { return .failed(error) }
        if let landed = links.first(where: { Self.holds($0, fields) }) {
          return StepResult(status: .done, link: landed)
        }
        if kind == .alreadyTaken { return .failed(error) }
      }
    }
    return lastError.map(StepResult.failed) ?? StepResult(status: .failed)
  }

  private func update(_ id: Int, _ fields: LinkFields, orCreate: Bool = false) -> StepResult {
    do {
      return StepResult(status: .done, link: try store.updateLink(id: id, fields))
    } catch {
      switch WriteFailureKind(error) {
      case .notFound where orCreate:
        // Someone deleted the link since it was listed: the asset still needs one.
        return create(fields)
      case .ambiguous, .unavailable:
        // An update sets absolute values, so the server either holds them or not.
        if let links = try? store.listLinks(),
          let landed = links.first(where: { $0.id == id && Self.holds($0, fields) })
        {
          return StepResult(status: .done, link: landed)
        }
        return .failed(error)
      default:
        return .failed(error)
      }
    }
  }

  private func delete(_ id: Int) -> StepResult {
    do {
      _ = try store.deleteLink(id: id)
      return StepResult(status: .done)
    } catch {
      switch WriteFailureKind(error) {
      case .notFound:
        return StepResult(status: .done)  // already gone: the desired state
      case .ambiguous, .unavailable:
        if let links = try? store.listLinks(), !links.contains(where: { $0.id == id }) {
          return StepResult(status: .done)
        }
        return .failed(error)
      default:
        return .failed(error)
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

  /// Temporary values no desired link can have, valid for GitLab, unique per link. The path moves
  /// only when the link's final update sets one, since GitLab cannot clear a path.
  static func parkingFields(for link: ReleaseLink, movingPath: Bool) -> LinkFields {
    let marker = "release-linker-parked-\(link.id)"
    let separator = link.url.contains("#") ? "-" : "#"
    return LinkFields(
      name: "\(link.name) (\(marker))", url: link.url + separator + marker,
      directAssetPath: movingPath ? "/.\(marker)" : nil, linkType: link.linkType)
  }
}
