/// The JSON document `publish`, `plan` and `scan` print with `--output json` and `--report FILE`
/// write (cli.md, "Output"). Keys keep the documented order, and unknown values are `null`.
public struct RunReport: Sendable, Equatable {
  /// One element of `links`.
  public struct Entry: Sendable, Equatable {
    public var action: PlannedStep.Action
    public var status: StepResult.Status
    public var name: String?
    public var url: String?
    public var directAssetPath: String?
    public var linkType: LinkType?
    public var id: Int?
    public var directAssetURL: String?
    public var artifactPath: String?
    public var size: Int64?
    public var sha256: String?
    public var error: String?
  }

  public var project: String?
  public var tag: String?
  public var dryRun: Bool
  public var links: [Entry]
  public var summary: ActionCounts

  /// The report of a publish run or a plan: one entry per step, with the server's link where known.
  public init(outcome: PublishOutcome, project: String?, tag: String?, dryRun: Bool) {
    self.project = project
    self.tag = tag
    self.dryRun = dryRun
    var links: [Entry] = []
    for (index, step) in outcome.plan.steps.enumerated() {
      let result = index < outcome.results.count ? outcome.results[index] : nil
      let server = result?.link
      let desired = step.desired
      let existing = step.existing
      // What the server holds now is known for a finished step, and for a link left as it is or
      // about to be deleted; an update or a creation still to come has no id or URL yet.
      let knownExisting = step.action == .unchanged || step.action == .delete ? existing : nil
      links.append(
        Entry(
          action: step.action, status: result?.status ?? .planned,
          name: desired?.name ?? existing?.name,
          url: desired?.url ?? existing?.url,
          directAssetPath: desired?.directAssetPath ?? existing?.directAssetPath,
          linkType: desired?.linkType ?? existing?.linkType,
          id: server?.id ?? existing?.id,
          directAssetURL: server?.directAssetURL ?? knownExisting?.directAssetURL,
          artifactPath: desired?.asset.artifactPath, size: desired?.asset.size,
          sha256: desired?.asset.sha256, error: result?.error))
    }
    self.links = links
    self.summary = outcome.counts
  }

  /// The report of `scan`: every link would be created, nothing is known of the server.
  public init(scanned: [DerivedLink], project: String?, tag: String?) {
    self.project = project
    self.tag = tag
    self.dryRun = true
    self.links = scanned.map { link in
      Entry(
        action: .create, status: .planned, name: link.name, url: link.url,
        directAssetPath: link.directAssetPath, linkType: link.linkType, id: nil,
        directAssetURL: nil, artifactPath: link.asset.artifactPath, size: link.asset.size,
        sha256: link.asset.sha256, error: nil)
    }
    self.summary = ActionCounts(create: scanned.count)
  }

  /// The document, pretty-printed with one link per line, ending with a newline.
  public func jsonText() -> String {
    var out = "{\n"
    out += "  \"project\": \(JSONText.string(project)),\n"
    out += "  \"tag\": \(JSONText.string(tag)),\n"
    out += "  \"dry_run\": \(dryRun),\n"
    if links.isEmpty {
      out += "  \"links\": [],\n"
    } else {
      out += "  \"links\": [\n"
      out += links.map { "    " + Self.object($0) }.joined(separator: ",\n")
      out += "\n  ],\n"
    }
    out += "  \"summary\": {\"create\": \(summary.create), \"update\": \(summary.update), "
    out += "\"unchanged\": \(summary.unchanged), \"delete\": \(summary.delete), "
    out += "\"failed\": \(summary.failed)}\n"
    out += "}\n"
    return out
  }

  private static func object(_ entry: Entry) -> String {
    let fields: [(String, String)] = [
      ("action", JSONText.string(entry.action.rawValue)),
      ("status", JSONText.string(entry.status.rawValue)),
      ("name", JSONText.string(entry.name)),
      ("url", JSONText.string(entry.url)),
      ("direct_asset_path", JSONText.string(entry.directAssetPath)),
      ("link_type", JSONText.string(entry.linkType?.rawValue)),
      ("id", entry.id.map(String.init) ?? "null"),
      ("direct_asset_url", JSONText.string(entry.directAssetURL)),
      ("artifact_path", JSONText.string(entry.artifactPath)),
      ("size", entry.size.map(String.init) ?? "null"),
      ("sha256", JSONText.string(entry.sha256)),
      ("error", JSONText.string(entry.error)),
    ]
    return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
  }
}

/// JSON string literals written by hand, so key order is the documented one.
enum JSONText {
  static func string(_ value: String?) -> String {
    guard let value else { return "null" }
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
