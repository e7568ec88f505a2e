/// Decides each link's `link_type`: the `--type-rule TYPE=GLOB` rules in order (first match wins),
/// then `--link-type` when given, else the inference table of docs/scanning.md from the file name.
public struct LinkTypeRules: Sendable {
  public var rules: [(type: LinkType, pattern: GlobPattern)]
  public var fallback: LinkType?

  public init(rules: [(type: LinkType, pattern: GlobPattern)] = [], fallback: LinkType? = nil) {
    self.rules = rules
    self.fallback = fallback
  }

  static let packageExtensions: Set<String> = [
    "deb", "rpm", "apk", "msi", "pkg", "dmg", "whl", "nupkg", "gem", "jar", "snap", "flatpak",
    "appimage",
  ]
  static let imageExtensions: Set<String> = ["iso", "img", "qcow2", "vmdk", "vhd", "ova", "raw"]
  static let documentExtensions: Set<String> = ["md", "pdf", "html", "txt"]
  static let runbookWords: [[UInt8]] = ["runbook", "readme", "docs"].map { Array($0.utf8) }

  /// The type for the asset at `artifactPath`.
  public func type(for artifactPath: String) -> LinkType {
    for rule in rules where rule.pattern.matches(artifactPath) { return rule.type }
    return fallback ?? Self.inferred(for: artifactPath)
  }

  /// The type docs/scanning.md's table gives a file name: packages and disk images by extension (any case);
  /// documents (`.md .pdf .html .txt`) are runbooks when the name mentions runbook, readme or docs.
  public static func inferred(for artifactPath: String) -> LinkType {
    let name = FileName(artifactPath)
    let ext = name.ext.lowercased()
    if packageExtensions.contains(ext) { return .package }
    if imageExtensions.contains(ext) { return .image }
    if documentExtensions.contains(ext) {
      let stem = Array(name.stem.utf8)
      if runbookWords.contains(where: { mentions(stem, $0) }) { return .runbook }
    }
    return .other
  }

  /// Whether the UTF-8 `bytes` contain the lowercase ASCII `word`, in any case. A byte loop: the
  /// generic substring search cost a third of a 100,000-entry scan.
  static func mentions(_ bytes: [UInt8], _ word: [UInt8]) -> Bool {
    guard bytes.count >= word.count, let first = word.first else { return word.isEmpty }
    var start = 0
    while start + word.count <= bytes.count {
      if bytes[start] | 0x20 == first {
        var offset = 1
        while offset < word.count, bytes[start + offset] | 0x20 == word[offset] { offset += 1 }
        if offset == word.count { return true }
      }
      start += 1
    }
    return false
  }
}

/// The parts of an artifact path's last segment that templates use.
struct FileName: Equatable {
  /// The last segment, e.g. `app-1.2.tar.gz`.
  var basename: String
  /// The basename without its last extension, e.g. `app-1.2.tar`; the whole name when it has none or
  /// starts with its only dot (`.env`).
  var stem: String
  /// The last extension without its dot, e.g. `gz`; empty when there is none.
  var ext: String

  init(_ artifactPath: String) {
    // Work on UTF-8 code units: `/` and `.` are ASCII, and this runs once per asset.
    let utf8 = artifactPath.utf8
    let start =
      utf8.lastIndex(of: UInt8(ascii: "/")).map { utf8.index(after: $0) } ?? utf8.startIndex
    let basename = String(artifactPath[start...])
    self.basename = basename
    let nameUTF8 = basename.utf8
    if let dot = nameUTF8.lastIndex(of: UInt8(ascii: ".")), dot != nameUTF8.startIndex {
      stem = String(basename[..<dot])
      ext = String(basename[nameUTF8.index(after: dot)...])
    } else {
      stem = basename
      ext = ""
    }
  }
}
