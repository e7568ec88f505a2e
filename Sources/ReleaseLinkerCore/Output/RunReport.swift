/// The JSON document `publish`, `plan` and `scan` print with `--output json` and `--report FILE`
/// write (README, "The JSON report and the dotenv variables"). Keys keep the documented order, and unknown values are `null`.
public struct RunReport: Sendable, Equatable {
  /// One element of `links`.
  public struct Entry: Sendable, Equatable {
    /// Nil when the release's links could not be read, so no action is known.
    public var action: PlannedStep.Action?
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
  /// Why the run stopped, when it did; the key is left out of the document otherwise.
  public var error: String?
  /// Further top-level keys written between `links` and `summary` (`uploads`, `verify`), each
  /// already JSON text.
  public var sections: [Section] = []

  /// A top-level key and its value as JSON text.
  public struct Section: Sendable, Equatable {
    public var key: String
    public var json: String

    public init(key: String, json: String) {
      self.key = key
      self.json = json
    }
  }

  /// The report of a publish run or a plan: one entry per step, with the server's link where known.
  public init(
    outcome: PublishOutcome, project: String?, tag: String?, dryRun: Bool, error: String? = nil
  ) {
    self.project = project
    self.tag = tag
    self.dryRun = dryRun
    self.error = error
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
          action: outcome.actionsKnown ? outcome.action(at: index) : nil,
          status: result?.status ?? .planned,
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
    self.links = scanned.map(Self.scannedEntry)
    self.summary = ActionCounts(create: scanned.count)
  }

  /// Writes `scan`'s document straight from the links, without an entry per link held beside them
  /// (the same document as `RunReport(scanned:…).writeJSON`).
  public static func writeScanJSON(
    _ scanned: [DerivedLink], project: String?, tag: String?, _ write: (String) -> Void
  ) {
    writeDocument(
      project: project, tag: tag, dryRun: true, count: scanned.count,
      entry: { scannedEntry(scanned[$0]) }, summary: ActionCounts(create: scanned.count),
      write: write)
  }

  private static func scannedEntry(_ link: DerivedLink) -> Entry {
    Entry(
      action: .create, status: .planned, name: link.name, url: link.url,
      directAssetPath: link.directAssetPath, linkType: link.linkType, id: nil,
      directAssetURL: nil, artifactPath: link.asset.artifactPath, size: link.asset.size,
      sha256: link.asset.sha256, error: nil)
  }

  /// The document, pretty-printed with one link per line, ending with a newline.
  public func jsonText() -> String {
    var text = ""
    writeJSON { text += $0 }
    return text
  }

  /// Hands the document to `write` in pieces of about `chunkSize` bytes, so that a report of
  /// 100,000 links never exists as one string next to the links it describes.
  public func writeJSON(chunkSize: Int = 65_536, _ write: (String) -> Void) {
    Self.writeDocument(
      project: project, tag: tag, dryRun: dryRun, count: links.count, entry: { links[$0] },
      summary: summary, error: error, sections: sections, chunkSize: chunkSize, write: write)
  }

  /// The one writer of the document, for a report's own entries and for `scan`'s links alike.
  private static func writeDocument(
    project: String?, tag: String?, dryRun: Bool, count: Int, entry: (Int) -> Entry,
    summary: ActionCounts, error: String? = nil, sections: [Section] = [],
    chunkSize: Int = 65_536,
    write: (String) -> Void
  ) {
    // Bytes, not a String: appending to a String cost a quarter of a 100,000-entry scan.
    var out: [UInt8] = []
    out.reserveCapacity(chunkSize + 4096)
    out += "{\n  \"project\": ".utf8
    JSONText.append(project, to: &out)
    out += ",\n  \"tag\": ".utf8
    JSONText.append(tag, to: &out)
    out += ",\n  \"dry_run\": \(dryRun),\n".utf8
    if count == 0 {
      out += "  \"links\": [],\n".utf8
    } else {
      out += "  \"links\": [\n".utf8
      for index in 0..<count {
        out += "    ".utf8
        append(entry(index), to: &out)
        out += (index == count - 1 ? "\n" : ",\n").utf8
        if out.count >= chunkSize {
          write(String(decoding: out, as: UTF8.self))
          out.removeAll(keepingCapacity: true)
        }
      }
      out += "  ],\n".utf8
    }
    for section in sections {
      out += "  ".utf8
      JSONText.append(section.key, to: &out)
      out += ": \(section.json),\n".utf8
    }
    out += "  \"summary\": {\"create\": \(summary.create), \"update\": \(summary.update), ".utf8
    out += "\"unchanged\": \(summary.unchanged), \"delete\": \(summary.delete), ".utf8
    out += "\"failed\": \(summary.failed)}".utf8
    if let error {
      out += ",\n  \"error\": ".utf8
      JSONText.append(error, to: &out)
    }
    out += "\n}\n".utf8
    write(String(decoding: out, as: UTF8.self))
  }

  /// Appends one link as a JSON object, keys in the documented order.
  private static func append(_ entry: Entry, to out: inout [UInt8]) {
    out += "{\"action\": ".utf8
    JSONText.append(entry.action?.rawValue, to: &out)
    out += ", \"status\": ".utf8
    JSONText.append(entry.status.rawValue, to: &out)
    out += ", \"name\": ".utf8
    JSONText.append(entry.name, to: &out)
    out += ", \"url\": ".utf8
    JSONText.append(entry.url, to: &out)
    out += ", \"direct_asset_path\": ".utf8
    JSONText.append(entry.directAssetPath, to: &out)
    out += ", \"link_type\": ".utf8
    JSONText.append(entry.linkType?.rawValue, to: &out)
    out += ", \"id\": ".utf8
    out += (entry.id.map(String.init) ?? "null").utf8
    out += ", \"direct_asset_url\": ".utf8
    JSONText.append(entry.directAssetURL, to: &out)
    out += ", \"artifact_path\": ".utf8
    JSONText.append(entry.artifactPath, to: &out)
    out += ", \"size\": ".utf8
    out += (entry.size.map(String.init) ?? "null").utf8
    out += ", \"sha256\": ".utf8
    JSONText.append(entry.sha256, to: &out)
    out += ", \"error\": ".utf8
    JSONText.append(entry.error, to: &out)
    out += "}".utf8
  }
}

/// JSON string literals written by hand, so key order is the documented one.
enum JSONText {
  /// Appends `value` as a JSON string literal, or `null`.
  static func append(_ value: String?, to out: inout [UInt8]) {
    guard let value else {
      out += "null".utf8
      return
    }
    if needsEscaping(value) {
      out += string(value).utf8
    } else {
      out.append(UInt8(ascii: "\""))
      out += value.utf8
      out.append(UInt8(ascii: "\""))
    }
  }

  static func needsEscaping(_ value: String) -> Bool {
    func check(_ byte: UInt8) -> Bool {
      byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
        || byte == 0xE2  // the lead byte of U+2028 and U+2029
    }
    if let found = value.utf8.withContiguousStorageIfAvailable({ bytes in
      for byte in bytes where check(byte) { return true }
      return false
    }) {
      return found
    }
    return value.utf8.contains(where: check)
  }

  static func string(_ value: String?) -> String {
    guard let value else { return "null" }
    if !needsEscaping(value) { return "\"" + value + "\"" }
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
