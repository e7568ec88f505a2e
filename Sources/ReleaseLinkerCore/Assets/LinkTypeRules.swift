/// Decides each link's `link_type`: the `--type-rule TYPE=GLOB` rules in order (first match wins),
/// then `--link-type` when given, else the inference table of cli.md from the file name.
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
  static let runbookWords = ["runbook", "readme", "docs"]

  /// The type for the asset at `artifactPath`.
  public func type(for artifactPath: String) -> LinkType {
    for rule in rules where rule.pattern.matches(artifactPath) { return rule.type }
    return fallback ?? Self.inferred(for: artifactPath)
  }

  /// The type cli.md's table gives a file name: packages and disk images by extension (any case);
  /// documents (`.md .pdf .html .txt`) are runbooks when the name mentions runbook, readme or docs.
  public static func inferred(for artifactPath: String) -> LinkType {
    let name = FileName(artifactPath)
    let ext = name.ext.lowercased()
    if packageExtensions.contains(ext) { return .package }
    if imageExtensions.contains(ext) { return .image }
    if documentExtensions.contains(ext) {
      let stem = name.stem.lowercased()
      if runbookWords.contains(where: { stem.contains($0) }) { return .runbook }
    }
    return .other
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
    let basename = artifactPath.split(separator: "/").last.map(String.init) ?? artifactPath
    self.basename = basename
    if let dot = basename.lastIndex(of: "."), dot != basename.startIndex {
      stem = String(basename[..<dot])
      ext = String(basename[basename.index(after: dot)...])
    } else {
      stem = basename
      ext = ""
    }
  }
}
