/// The human-readable account of the uploads to the generic package registry: one line per file
/// (what was sent, what was already there, what failed and why, older files deleted or kept), then
/// a summary.
public struct UploadTextReport: Sendable {
  public let outcome: PackageUploadOutcome
  public let dryRun: Bool
  public let style: TerminalStyle
  /// `--quiet`: only the files that failed, and the summary.
  public let quiet: Bool

  public init(
    outcome: PackageUploadOutcome, dryRun: Bool, style: TerminalStyle, quiet: Bool = false
  ) {
    self.outcome = outcome
    self.dryRun = dryRun
    self.style = style
    self.quiet = quiet
  }

  public var text: String {
    let target = outcome.target
    var text =
      "package \(target.name)/\(target.version)"
      + (target.status == .hidden ? " (hidden)" : "") + ":\n"
    let labels = outcome.results.map(label)
    let width = labels.map(\.count).max() ?? 0
    // File names are the assets'; errors may quote the server: escaped for the terminal.
    let names = outcome.results.map { TerminalText.escaped($0.fileName) }
    let nameWidth = min(40, names.map(\.count).max() ?? 0)
    for (index, (result, label)) in zip(outcome.results, labels).enumerated()
    where !quiet || result.status == .failed {
      let padded = label + String(repeating: " ", count: max(0, width - label.count))
      let coloured: String
      switch (result.status, result.action) {
      case (.failed, _): coloured = style.red(padded)
      case (_, .upload): coloured = style.green(padded)
      case (_, .unchanged): coloured = style.dim(padded)
      }
      let name =
        names[index] + String(repeating: " ", count: max(0, nameWidth - names[index].count))
      text += "\(coloured)  \(name)  \(style.dim(detail(result)))\n"
      let indent = String(repeating: " ", count: width + 2)
      if result.status == .failed, let error = result.error {
        text += indent + TerminalText.escaped(error) + "\n"
      }
      for file in result.deleted {
        text += indent + "deleted the older package file \(file.id) of this name\n"
      }
      if !result.kept.isEmpty {
        let ids = result.kept.map { String($0.id) }.joined(separator: ", ")
        text +=
          indent + style.yellow("kept the older package file\(result.kept.count == 1 ? "" : "s") ")
          + "\(ids): \(result.keptReason ?? "it could not be deleted.")\n"
      }
    }
    return text + summary + "\n"
  }

  /// `Package hello/v1.7.0: 2 uploaded, 1 unchanged, 0 failed.`
  public var summary: String {
    let uploads = outcome.results.filter { $0.status != .failed && $0.action == .upload }.count
    let unchanged = outcome.results.filter { $0.status != .failed && $0.action == .unchanged }.count
    let failed = outcome.results.filter { $0.status == .failed }.count
    let name = "\(outcome.target.name)/\(outcome.target.version)"
    if dryRun {
      return "Package \(name): \(uploads) to upload, \(unchanged) unchanged"
        + (failed > 0 ? ", \(failed) cannot succeed" : "") + " (dry run: nothing was sent)."
    }
    let failedText = failed > 0 ? style.red("\(failed) failed") : "0 failed"
    return "Package \(name): \(uploads) uploaded, \(unchanged) unchanged, \(failedText)."
  }

  private func label(_ result: PackageUploadResult) -> String {
    if result.status == .failed { return "failed to upload" }
    switch result.action {
    case .upload: return dryRun ? "would upload" : "uploaded"
    case .unchanged: return "unchanged"
    }
  }

  private func detail(_ result: PackageUploadResult) -> String {
    var parts: [String] = []
    if let file = result.file {
      parts.append("package file \(file.id), \(ProgressLine.bytes(file.size))")
    }
    if result.uploads > 1 { parts.append("sent \(result.uploads) times") }
    return parts.joined(separator: ", ")
  }
}
