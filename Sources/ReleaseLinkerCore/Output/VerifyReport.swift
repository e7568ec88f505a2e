/// What `verify` (and `publish --verify`) found: one line per link with `ok` or what went wrong,
/// then a summary; or the same as JSON.
public struct VerifyReport: Sendable {
  public let checks: [LinkCheck]
  public let tag: String
  public let style: TerminalStyle

  public init(checks: [LinkCheck], tag: String, style: TerminalStyle) {
    self.checks = checks
    self.tag = tag
    self.style = style
  }

  public var failed: Int { checks.count { !$0.isOK } }

  public var text: String {
    var text = ""
    let width = checks.map(\.label.count).max() ?? 0
    // Names, URLs and problems come from the server: escaped for the terminal.
    let names = checks.map { TerminalText.escaped($0.link.name) }
    let nameWidth = min(40, names.map(\.count).max() ?? 0)
    for (check, shownName) in zip(checks, names) {
      let label = check.label + String(repeating: " ", count: max(0, width - check.label.count))
      let name = shownName + String(repeating: " ", count: max(0, nameWidth - shownName.count))
      text +=
        "\(check.isOK ? style.green(label) : style.red(label))  \(name)  "
        + "\(style.dim(TerminalText.escaped(check.checkedURL)))\n"
      if let problem = check.problem {
        text += String(repeating: " ", count: width + 2) + TerminalText.escaped(problem) + "\n"
      }
    }
    return text + summary + "\n"
  }

  /// `v1.7.0: 3 links checked, 3 download.` or `…, 1 does not download.`
  public var summary: String {
    let count = checks.count
    let ok = count - failed
    var text = "\(tag): \(count) link\(count == 1 ? "" : "s") checked, \(ok) download"
    if failed > 0 {
      text += ", " + style.red("\(failed) \(failed == 1 ? "does" : "do") not download")
    }
    return text + "."
  }

  /// `{"links": [...], "summary": {"ok": N, "failed": M}}`, also the `verify` section of publish's
  /// report.
  public var json: String {
    var out: [UInt8] = Array("{\"links\": [".utf8)
    for (index, check) in checks.enumerated() {
      out += (index == 0 ? "\n    " : ",\n    ").utf8
      out += "{\"id\": \(check.link.id), \"name\": ".utf8
      JSONText.append(check.link.name, to: &out)
      out += ", \"url\": ".utf8
      JSONText.append(check.link.url, to: &out)
      out += ", \"checked_url\": ".utf8
      JSONText.append(check.checkedURL, to: &out)
      out += ", \"result\": ".utf8
      JSONText.append(check.label, to: &out)
      out += ", \"http_status\": \(check.httpStatus.map(String.init) ?? "null"), \"error\": ".utf8
      JSONText.append(check.problem, to: &out)
      out += "}".utf8
    }
    out += (checks.isEmpty ? "]" : "\n  ]").utf8
    out += ", \"summary\": {\"ok\": \(checks.count - failed), \"failed\": \(failed)}}".utf8
    return String(decoding: out, as: UTF8.self)
  }

  /// The document `verify --output json` prints.
  public func document(project: String) -> String {
    var out: [UInt8] = Array("{\n  \"project\": ".utf8)
    JSONText.append(project, to: &out)
    out += ",\n  \"tag\": ".utf8
    JSONText.append(tag, to: &out)
    out += ",\n  \"verify\": ".utf8
    out += json.utf8
    out += "\n}\n".utf8
    return String(decoding: out, as: UTF8.self)
  }
}

extension RunReport {
  /// The `uploads` section: the package and one entry per file.
  public static func uploadsSection(_ outcome: PackageUploadOutcome, projectURL: String)
    -> Section
  {
    var out: [UInt8] = Array("{\"package_name\": ".utf8)
    JSONText.append(outcome.target.name, to: &out)
    out += ", \"package_version\": ".utf8
    JSONText.append(outcome.target.version, to: &out)
    out += ", \"package_status\": ".utf8
    JSONText.append(outcome.target.status.rawValue, to: &out)
    out += ", \"package_id\": \(outcome.snapshot.packageID.map(String.init) ?? "null")".utf8
    out += ", \"files\": [".utf8
    for (index, result) in outcome.results.enumerated() {
      out += (index == 0 ? "\n    " : ",\n    ").utf8
      out += "{\"file_name\": ".utf8
      JSONText.append(result.fileName, to: &out)
      out += ", \"action\": ".utf8
      JSONText.append(result.action.rawValue, to: &out)
      out += ", \"status\": ".utf8
      JSONText.append(result.status.rawValue, to: &out)
      out += ", \"package_file_id\": \(result.file.map { String($0.id) } ?? "null")".utf8
      out += ", \"download_url\": ".utf8
      JSONText.append(
        result.file.map {
          GenericPackagesClient.downloadURL(projectURL: projectURL, fileID: $0.id)
        }, to: &out)
      out += ", \"size\": \(result.file.map { String($0.size) } ?? "null")".utf8
      out += ", \"sha256\": ".utf8
      JSONText.append(result.sha256, to: &out)
      out += ", \"uploads\": \(result.uploads)".utf8
      out += ", \"deleted_package_file_ids\": [".utf8
      out += result.deleted.map { String($0.id) }.joined(separator: ", ").utf8
      out += "], \"kept_package_file_ids\": [".utf8
      out += result.kept.map { String($0.id) }.joined(separator: ", ").utf8
      out += "], \"note\": ".utf8
      JSONText.append(result.keptReason, to: &out)
      out += ", \"error\": ".utf8
      JSONText.append(result.error, to: &out)
      out += "}".utf8
    }
    out += (outcome.results.isEmpty ? "]" : "\n  ]").utf8
    let uploaded = outcome.results.count { $0.status != .failed && $0.action == .upload }
    let unchanged = outcome.results.count { $0.status != .failed && $0.action == .unchanged }
    let failed = outcome.results.count { $0.status == .failed }
    out += ", \"summary\": {\"upload\": \(uploaded), \"unchanged\": \(unchanged), ".utf8
    out += "\"failed\": \(failed)}}".utf8
    return Section(key: "uploads", json: String(decoding: out, as: UTF8.self))
  }
}
