import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `--checksums FILE`: where the file goes, which asset it would otherwise be itself, and how its
/// lines name the assets.
struct ChecksumsOutput {
  /// The path as given, for messages.
  let given: String
  /// The file's absolute path, its folder resolved (so it compares with scanned paths).
  let path: String
  let directory: String
  /// The last component of the path.
  let fileName: String

  /// Resolves `file` against the current directory; its folder must exist and be writable, else a
  /// usage error before anything is read or sent.
  init(_ file: String, context: Context) throws {
    given = file
    let absolute = file.hasPrefix("/") ? file : context.currentDirectory + "/" + file
    let slash = absolute.lastIndex(of: "/") ?? absolute.startIndex
    let folder = slash == absolute.startIndex ? "/" : String(absolute[..<slash])
    let name = String(absolute[absolute.index(after: slash)...])
    guard !name.isEmpty, let real = realpath(folder, nil) else {
      throw UsageError(
        "Cannot write the file '\(file)' given with --checksums: its folder does not exist.")
    }
    defer { free(real) }
    directory = String(cString: real)
    path = (directory == "/" ? "" : directory) + "/" + name
    fileName = name
    guard access(directory, W_OK) == 0 else {
      throw UsageError(
        "Cannot write the file '\(file)' given with --checksums: its folder is not writable.")
    }
  }

  /// The links without the checksums file itself: a file listing its own checksum (an older one,
  /// at that) would fail `sha256sum -c`.
  func excludingItself(_ links: [DerivedLink]) -> [DerivedLink] {
    links.filter { $0.asset.origin != .file(path: path) }
  }

  /// How a line names an asset when it is not uploaded: its path from the checksums file's folder
  /// when the file lies inside it (so `cd dist && sha256sum -c SHA256SUMS` works in the build
  /// job), else its artifact path.
  func entryName(for asset: Asset) -> String {
    if case .file(let file) = asset.origin, file.hasPrefix(directory + "/") {
      return String(file.dropFirst(directory.count + 1))
    }
    return asset.artifactPath
  }

  /// Writes the file as the reports are (``ReportFile``): afresh, never through a symbolic link,
  /// mode 0644; a usage error when it cannot be written.
  func write(_ entries: [(name: String, sha256: String)]) throws {
    let text = ChecksumsFile.render(entries)
    try ReportFile.replace(path, shownAs: given, flag: "--checksums") { write in write(text) }
  }

  /// The entries of links whose assets were hashed by the scan; a usage error when one was not.
  func entries(of links: [DerivedLink]) throws -> [(name: String, sha256: String)] {
    try links.map { link in
      guard let digest = link.asset.sha256 else {
        throw UsageError("--checksums needs the SHA-256 of every asset: drop --no-checksums.")
      }
      return (entryName(for: link.asset), digest)
    }
  }
}
