/// The human-readable account of a publish run or a plan: one line per link, then a summary.
///
/// Each line gives the action, the link's name and its URL; a failed step adds GitLab's words (or our
/// sentence) on the next line. A dry run says what would happen, a real run what happened. Quiet,
/// only the failed links and the summary are shown.
public struct PublishTextReport: Sendable {
  public let outcome: PublishOutcome
  public let tag: String
  public let dryRun: Bool
  public let style: TerminalStyle
  public let quiet: Bool

  public init(
    outcome: PublishOutcome, tag: String, dryRun: Bool, style: TerminalStyle, quiet: Bool = false
  ) {
    self.outcome = outcome
    self.tag = tag
    self.dryRun = dryRun
    self.style = style
    self.quiet = quiet
  }

  /// Every line, each ending with a newline.
  public var text: String {
    var text = ""
    if let line = releaseLine, !quiet || outcome.release?.status == .failed {
      text += line + "\n"
    }
    let rows = Array(zip(outcome.plan.steps, outcome.results)).filter { row in
      !quiet || row.1.status == .failed
    }
    let width =
      rows.map { label(for: $0.0.action, failed: $0.1.status == .failed).count }.max() ?? 0
    // Names line up in a column, but one long name does not push every URL off the screen.
    let nameWidth = min(40, rows.map { name(of: $0.0).count }.max() ?? 0)
    for (step, result) in rows {
      text += line(step: step, result: result, width: width, nameWidth: nameWidth)
    }
    text += summary + "\n"
    if let keptNote { text += keptNote + "\n" }
    return text
  }

  /// What became of the release's links that no asset matches, when there are any and they stay:
  /// without `--prune`, that it would delete them; with it, why it did not (`--prune-scope`,
  /// `--prune-foreign`).
  public var keptNote: String? {
    let reasons = outcome.plan.keptBecause
    let kept = reasons.count
    guard kept > 0 else { return nil }
    let links = kept == 1 ? "1 existing link" : "\(kept) existing links"
    func them(_ count: Int) -> String { count == 1 ? "it" : "them" }
    if reasons.allSatisfy({ $0 == .notPruning }) {
      return dryRun
        ? "\(links) that no asset matches would be kept; --prune would delete \(them(kept))."
        : "Kept \(links) that no asset matches; --prune deletes \(them(kept))."
    }
    let outside = reasons.count { $0 == .outsideScope }
    let foreign = reasons.count { $0 == .foreign }
    var why: [String] = []
    if outside > 0 { why.append("\(outside) outside --prune-scope") }
    if foreign > 0 {
      why.append(
        "\(foreign) pointing outside this project, which --prune-foreign "
          + (dryRun ? "would delete" : "deletes"))
    }
    return
      (dryRun
      ? "\(links) that no asset matches would be kept: " : "Kept \(links) that no asset matches: ")
      + why.joined(separator: "; ") + "."
  }

  /// One sentence with the count per action, e.g. `v1.7.0: 2 created, 0 updated, …, 0 failed.`
  public var summary: String {
    let counts = outcome.counts
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

  /// What happened to the release itself, when the run created, updated or checked it; a second
  /// line says how many links its create request carried.
  public var releaseLine: String? {
    guard let release = outcome.release else { return nil }
    let fields = release.fields.joined(separator: ", ")
    let status: StepResult.Status =
      dryRun && release.status != .failed ? .planned : release.status
    let links = "\(release.linksCarried) link\(release.linksCarried == 1 ? "" : "s")"
    var line: String
    switch (release.action, status) {
    case (.create, .failed):
      line = style.red("failed to create the release \(tag)")
    case (.create, _):
      line = (status == .planned ? "would create the release " : "created the release ") + tag
      if let name = outcome.releaseDraft?.name, name != tag { line += ", named '\(name)'" }
      if let note = release.note { line += " (\(note))" }
      if release.linksCarried > 0 && release.note == nil {
        line += "\n  with \(links) in the same request"
      }
    case (.update, .planned):
      line = "would update the release \(tag): \(fields)"
    case (.update, .failed):
      line = style.red("failed to update the release \(tag): \(fields)")
    case (.update, _):
      line = "updated the release \(tag): \(fields)"
    case (.unchanged, _):
      line = "the release \(tag) is up to date"
    }
    if release.action != .create, let note = release.note { line += " (\(note))" }
    if let error = release.error { line += "\n  " + error }
    return line
  }

  private func name(of step: PlannedStep) -> String {
    step.desired?.name ?? step.existing?.name ?? ""
  }

  private func line(step: PlannedStep, result: StepResult, width: Int, nameWidth: Int) -> String {
    let failed = result.status == .failed
    let label = label(for: step.action, failed: failed)
    let padded = label + String(repeating: " ", count: max(0, width - label.count))
    let coloured: String
    if failed {
      coloured = style.red(padded)
    } else {
      switch step.action {
      case .create: coloured = style.green(padded)
      case .update: coloured = style.yellow(padded)
      case .delete: coloured = style.red(padded)
      case .unchanged: coloured = style.dim(padded)
      }
    }
    let name = name(of: step)
    let paddedName = name + String(repeating: " ", count: max(0, nameWidth - name.count))
    let url = step.desired?.url ?? step.existing?.url ?? ""
    var text = "\(coloured)  \(paddedName)  \(style.dim(url))\n"
    if failed, let error = result.error {
      text += String(repeating: " ", count: width + 2) + error + "\n"
    }
    return text
  }

  private func label(for action: PlannedStep.Action, failed: Bool) -> String {
    // The release's links could not be read, so whether a link would be created or kept is unknown.
    if !outcome.actionsKnown { return failed ? "not attempted" : action.rawValue }
    if failed { return "failed to \(action == .unchanged ? "check" : action.rawValue)" }
    if dryRun && action != .unchanged { return "would \(action.rawValue)" }
    return action.rawValue
  }
}
