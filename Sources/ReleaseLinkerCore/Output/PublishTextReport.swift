/// The human-readable account of a publish run or a plan: one line per link, then a summary.
///
/// Each line gives the action, the link's name and its URL; a failed step adds GitLab's words (or our
/// sentence) on the next line. A dry run says what would happen, a real run what happened.
public struct PublishTextReport: Sendable {
  public let outcome: PublishOutcome
  public let tag: String
  public let dryRun: Bool
  public let style: TerminalStyle

  public init(outcome: PublishOutcome, tag: String, dryRun: Bool, style: TerminalStyle) {
    self.outcome = outcome
    self.tag = tag
    self.dryRun = dryRun
    self.style = style
  }

  /// Every line, each ending with a newline.
  public var text: String {
    var text = ""
    let shownTag = TerminalText.escaped(tag)
    if outcome.createdRelease {
      text +=
        dryRun ? "would create the release \(shownTag)\n" : "created the release \(shownTag)\n"
    }
    let rows = outcome.plan.steps.indices.filter { $0 < outcome.results.count }.map { index in
      (outcome.action(at: index), outcome.plan.steps[index], outcome.results[index])
    }
    let width =
      rows.map { label(for: $0.0, failed: $0.2.status == .failed).count }.max() ?? 0
    // Names line up in a column, but one long name does not push every URL off the screen.
    let nameWidth = min(40, rows.map { name(of: $0.1).count }.max() ?? 0)
    for (action, step, result) in rows {
      text += line(
        action: action, step: step, result: result, width: width, nameWidth: nameWidth)
    }
    text += summary + "\n"
    return text
  }

  /// One sentence with the count per action, e.g. `v1.7.0: 2 created, 0 updated, …, 0 failed.`
  public var summary: String {
    let counts = outcome.counts
    let tag = TerminalText.escaped(tag)
    if dryRun {
      return "Plan for \(tag): \(counts.create) to create, \(counts.update) to update, "
        + "\(counts.unchanged) unchanged, \(counts.delete) to delete"
        + (counts.failed > 0 ? ", \(counts.failed) cannot succeed" : "")
        + " (dry run: nothing was sent)."
    }
    let failed = counts.failed > 0 ? style.red("\(counts.failed) failed") : "0 failed"
    return
      "\(tag): \(counts.create) created, \(counts.update) updated, \(counts.unchanged) unchanged, "
      + "\(counts.delete) deleted, \(failed)."
  }

  /// The link's name as it may be shown (names and URLs come from files and from GitLab).
  private func name(of step: PlannedStep) -> String {
    TerminalText.escaped(step.desired?.name ?? step.existing?.name ?? "")
  }

  private func line(
    action: PlannedStep.Action, step: PlannedStep, result: StepResult, width: Int, nameWidth: Int
  ) -> String {
    let failed = result.status == .failed
    let label = label(for: action, failed: failed)
    let padded = label + String(repeating: " ", count: max(0, width - label.count))
    let coloured: String
    if failed {
      coloured = style.red(padded)
    } else {
      switch action {
      case .create: coloured = style.green(padded)
      case .update: coloured = style.yellow(padded)
      case .delete: coloured = style.red(padded)
      case .unchanged: coloured = style.dim(padded)
      }
    }
    let name = name(of: step)
    let paddedName = name + String(repeating: " ", count: max(0, nameWidth - name.count))
    let url = TerminalText.escaped(step.desired?.url ?? step.existing?.url ?? "")
    var text = "\(coloured)  \(paddedName)  \(style.dim(url))\n"
    if failed, let error = result.error {
      text += String(repeating: " ", count: width + 2) + TerminalText.escaped(error) + "\n"
    }
    return text
  }

  private func label(for action: PlannedStep.Action, failed: Bool) -> String {
    if failed { return "failed to \(action == .unchanged ? "check" : action.rawValue)" }
    if dryRun && action != .unchanged { return "would \(action.rawValue)" }
    return action.rawValue
  }
}
