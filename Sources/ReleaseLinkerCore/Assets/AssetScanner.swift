#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds the assets: regular files under `PATH` arguments (relative to the root) and regular-file
/// entries of archives, with their size and, unless turned off, their SHA-256 computed in one
/// streaming pass.
///
/// Anything that is not a regular file is skipped with a warning naming it: symbolic links (never
/// followed), devices, FIFOs, sockets, hard-link entries, entries whose path is absolute, climbs
/// with `..` or is empty. Names that are not valid UTF-8 are skipped with a warning as well: no URL
/// GitLab serves can name them. Directory entries of archives are skipped silently, since the files
/// inside them are entries of their own.
public struct AssetScanner {
  /// The folder artifact paths are relative to.
  public var root: String
  /// The directory relative `PATH` arguments are resolved against.
  public var currentDirectory: String
  public var checksums: Bool
  /// Whether an artifact path passes `--include`/`--exclude`; files that do not are not read.
  public var isSelected: (String) -> Bool
  public var sink: any OutputSink
  /// The most bytes the entries of one archive may expand to (`--max-expanded-size`): past it the
  /// archive is refused (65) rather than decompressed for as long as it likes.
  public var maximumExpandedBytes: Int64

  public init(
    root: String, currentDirectory: String, checksums: Bool,
    isSelected: @escaping (String) -> Bool = { _ in true }, sink: any OutputSink,
    maximumExpandedBytes: Int64 = AssetOptions.defaultMaximumExpandedBytes
  ) {
    self.root = root
    self.currentDirectory = currentDirectory
    self.checksums = checksums
    self.isSelected = isSelected
    self.sink = sink
    self.maximumExpandedBytes = maximumExpandedBytes
  }

  // MARK: - Files and directories

  /// The assets under `path`: the file itself, or every regular file below a directory, in byte
  /// order of their names. Throws ``DataError`` when `path` is missing or outside the root.
  public func scanPath(_ path: String) throws(DataError) -> [Asset] {
    let rootPath = try resolvedRoot()
    let absolute = Self.lexicallyNormalised(
      path.hasPrefix("/") ? path : currentDirectory + "/" + path)
    var info = stat()
    guard lstat(absolute, &info) == 0 else {
      throw DataError("Cannot scan '\(path)': \(Self.lastError()).")
    }
    // Resolve the folders above, not the entry itself, so a symbolic link is seen as one.
    let real: String
    if absolute == "/" {
      real = "/"
    } else {
      let parent = Self.parent(of: absolute)
      guard let realParent = Self.realPath(parent) else {
        throw DataError("Cannot scan '\(path)': \(Self.lastError()).")
      }
      real = (realParent == "/" ? "" : realParent) + "/" + Self.lastComponent(of: absolute)
    }
    let relative: String
    if real == rootPath {
      relative = ""
    } else if rootPath == "/" {
      relative = String(real.dropFirst())
    } else if real.hasPrefix(rootPath + "/") {
      relative = String(real.dropFirst(rootPath.count + 1))
    } else {
      throw DataError(
        "'\(path)' is outside the root '\(root)': artifact paths are relative to the root, so pass a "
          + "path inside it or set --root (CI_PROJECT_DIR).")
    }
    var assets: [Asset] = []
    switch info.st_mode & S_IFMT {
    case S_IFDIR:
      try walk(directory: real, relative: relative, into: &assets)
    case S_IFREG:
      guard !relative.isEmpty else { return [] }
      if let asset = try fileAsset(at: real, relative: relative, size: Int64(info.st_size)) {
        assets.append(asset)
      }
    default:
      warn(path, because: "it is \(Self.describe(mode: info.st_mode)), not a regular file")
    }
    return assets
  }

  /// The paths a `PATH` argument stands for: itself, or, when it holds glob characters (`*`, `?`,
  /// `[`) and names no file as written, every file and folder it matches, in byte order. The shell
  /// does not expand a quoted pattern, one under `set -f`, or one coming from a CI variable, so the
  /// tool does, with the rules of `--include` (``GlobPattern``) applied to the path from the current
  /// directory. A pattern that matches nothing is a data error, like a missing PATH.
  public func expand(_ path: String) throws(DataError) -> [String] {
    guard path.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) else { return [path] }
    var info = stat()
    if lstat(path.hasPrefix("/") ? path : currentDirectory + "/" + path, &info) == 0 {
      return [path]
    }
    // The folders above (the current one included) are taken literally, whatever characters
    // their names hold; `.` and `..` apply as in a path.
    var segments: [(text: String, isLiteral: Bool)] = []
    if !path.hasPrefix("/") {
      segments = currentDirectory.split(separator: "/").map { (String($0), true) }
    }
    for segment in path.split(separator: "/") {
      if segment == "." { continue }
      if segment == ".." {
        if !segments.isEmpty { segments.removeLast() }
        continue
      }
      let text = String(segment)
      segments.append((text, !text.contains(where: { "*?[\\".contains($0) })))
    }
    let patternText =
      "/"
      + segments.map { segment in
        segment.isLiteral ? Self.escapingGlob(segment.text) : segment.text
      }.joined(separator: "/")
    let pattern: GlobPattern
    do {
      pattern = try GlobPattern(patternText)
    } catch {
      throw DataError("Cannot expand the PATH '\(path)': \(error.message)")
    }
    // Walk from the deepest folder the pattern names literally.
    let literal = segments.prefix { $0.isLiteral }
    let base = "/" + literal.map(\.text).joined(separator: "/")
    let crossesFolders = segments.contains { $0.text.contains("**") }
    let depth = segments.count - literal.count
    var matches: [String] = []
    collectMatches(
      in: base, depthLeft: crossesFolders ? Int.max : depth, pattern: pattern, into: &matches)
    guard !matches.isEmpty else {
      throw DataError(
        "Cannot scan '\(path)': no file or folder matches it. PATH patterns are expanded like "
          + "--include (* and ? stay within a folder, ** crosses folders), from the current folder."
      )
    }
    return matches
  }

  private func collectMatches(
    in directory: String, depthLeft: Int, pattern: GlobPattern, into matches: inout [String]
  ) {
    guard depthLeft > 0, let stream = opendir(directory) else { return }
    let names = Self.sortedNames(closing: stream)
    for rawName in names {
      // A name that is not UTF-8 cannot be linked; scanning its folder warns about it.
      guard let name = String(validating: rawName, as: UTF8.self) else { continue }
      let child = (directory == "/" ? "" : directory) + "/" + name
      var info = stat()
      guard lstat(child, &info) == 0 else { continue }
      if pattern.matches(child) {
        // A matched folder is scanned whole, as the shell would pass it.
        matches.append(child)
      } else if info.st_mode & S_IFMT == S_IFDIR {
        collectMatches(
          in: child, depthLeft: depthLeft == Int.max ? depthLeft : depthLeft - 1,
          pattern: pattern, into: &matches)
      }
    }
  }

  /// The entries of an open folder but `.` and `..`, as raw bytes in byte order; closes the stream.
  private static func sortedNames(closing stream: OpaquePointer) -> [[UInt8]] {
    var names: [[UInt8]] = []
    while let entry = readdir(stream) {
      let name = directoryEntryName(entry)
      if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
      names.append(name)
    }
    closedir(stream)
    return names.sorted { $0.lexicographicallyPrecedes($1) }
  }

  private func walk(directory: String, relative: String, into assets: inout [Asset])
    throws(DataError)
  {
    guard let stream = opendir(directory) else {
      throw DataError("Cannot read the folder '\(directory)': \(Self.lastError()).")
    }
    let names = Self.sortedNames(closing: stream)
    for rawName in names {
      let shownDirectory = relative.isEmpty ? "" : relative + "/"
      guard let name = String(validating: rawName, as: UTF8.self) else {
        warn(
          shownDirectory + String(decoding: rawName, as: UTF8.self),
          because: "its name is not valid UTF-8, so no URL can name it")
        continue
      }
      let childPath = (directory == "/" ? "" : directory) + "/" + name
      let childRelative = shownDirectory + name
      var info = stat()
      guard lstat(childPath, &info) == 0 else {
        throw DataError("Cannot read '\(childPath)': \(Self.lastError()).")
      }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        try walk(directory: childPath, relative: childRelative, into: &assets)
      case S_IFREG:
        if let asset = try fileAsset(
          at: childPath, relative: childRelative, size: Int64(info.st_size))
        {
          assets.append(asset)
        }
      default:
        warn(
          childRelative, because: "it is \(Self.describe(mode: info.st_mode)), not a regular file")
      }
    }
  }

  private func fileAsset(at path: String, relative: String, size: Int64) throws(DataError)
    -> Asset?
  {
    guard isSelected(relative) else { return nil }
    guard checksums else {
      return Asset(artifactPath: relative, size: size, sha256: nil, origin: .file(path: path))
    }
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw DataError("Cannot read '\(path)': \(Self.lastError()).")
    }
    defer { close(descriptor) }
    let (digest, total) = try StreamDigest.sha256(sizeHint: size) {
      buffer throws(DataError) in
      while true {
        let count = read(descriptor, buffer.baseAddress, buffer.count)
        if count >= 0 { return count }
        if errno != EINTR { throw DataError("Cannot read '\(path)': \(Self.lastError()).") }
      }
    }
    return Asset(artifactPath: relative, size: total, sha256: digest, origin: .file(path: path))
  }

  // MARK: - Archives

  /// The regular-file entries of the archive at `path`, read as a stream.
  /// - Parameter displayName: how errors and warnings name the archive (defaults to `path`).
  public func scanArchive(_ path: String, displayName: String? = nil) throws -> [Asset] {
    let shownName = displayName ?? path
    let absolute = path.hasPrefix("/") ? path : currentDirectory + "/" + path
    var info = stat()
    guard stat(absolute, &info) == 0 else {
      throw DataError("Cannot read the archive '\(shownName)': \(Self.lastError()).")
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw DataError("Cannot read the archive '\(shownName)': it is not a regular file.")
    }
    do {
      return try scan(try ArchiveReader(path: absolute), shownName: shownName, onDisk: absolute)
    } catch {
      throw ArchiveError(archivePath: shownName, reason: error.reason)
    }
  }

  /// The regular-file entries of the archive readable through `fileDescriptor` (a download whose
  /// file is already unlinked), named `displayName` in errors and warnings.
  public func scanArchive(fileDescriptor: Int32, displayName: String) throws -> [Asset] {
    do {
      return try scan(
        try ArchiveReader(fileDescriptor: fileDescriptor, name: displayName),
        shownName: displayName)
    } catch {
      throw ArchiveError(archivePath: displayName, reason: error.reason)
    }
  }

  /// - Parameter onDisk: the archive's path when it stays on disk, so that each asset can name its
  ///   entry (by its position, directories counted) for an upload to read it again; nil otherwise.
  private func scan(_ reader: ArchiveReader, shownName: String, onDisk: String? = nil)
    throws(ArchiveError) -> [Asset]
  {
    var assets: [Asset] = []
    var expanded = ExpandedSize(limit: maximumExpandedBytes)
    var index = -1
    while let entry = try reader.nextEntry() {
      index += 1
      let origin = onDisk.map { AssetOrigin.archiveEntry(archive: $0, index: index) }
      if entry.kind == .directory { continue }
      // Every entry's data is decompressed, if only to be skipped: all of it counts.
      try expanded.add(entry.declaredSize ?? 0)
      let location = "in the archive '\(shownName)'"
      if entry.nameWasLossy {
        warn(entry.name, location, because: "its name is not valid UTF-8, so no URL can name it")
        continue
      }
      guard entry.kind == .regularFile else {
        warn(entry.name, location, because: "it is a \(entry.kind.rawValue), not a regular file")
        continue
      }
      let artifactPath: String
      switch ArtifactPath.normalise(entry.name) {
      case .success(let normalised): artifactPath = normalised
      case .failure(let rejection):
        warn(entry.name, location, because: rejection.description)
        continue
      }
      guard isSelected(artifactPath) else { continue }
      if !checksums, let size = entry.declaredSize {
        assets.append(Asset(artifactPath: artifactPath, size: size, sha256: nil, origin: origin))
        continue
      }
      // Data beyond what the header declared (or all of it, when it declared nothing) counts as
      // it streams by.
      let declared = entry.declaredSize ?? 0
      var read: Int64 = 0
      func counted(_ count: Int) throws(ArchiveError) -> Int {
        read += Int64(count)
        if read > declared { try expanded.add(min(Int64(count), read - declared)) }
        return count
      }
      guard checksums else {
        // The format stores no size up front: count the data.
        let buffer = UnsafeMutableRawBufferPointer.allocate(
          byteCount: ArchiveReader.blockSize, alignment: 16)
        defer { buffer.deallocate() }
        while try counted(try reader.readData(into: buffer)) > 0 {}
        assets.append(Asset(artifactPath: artifactPath, size: read, sha256: nil, origin: origin))
        continue
      }
      let (digest, size) = try StreamDigest.sha256(sizeHint: entry.declaredSize) {
        buffer throws(ArchiveError) in try counted(try reader.readData(into: buffer))
      }
      assets.append(
        Asset(artifactPath: artifactPath, size: size, sha256: digest, origin: origin))
    }
    return assets
  }

  // MARK: - Helpers

  /// The bytes an archive's entries add up to, against `--max-expanded-size`.
  private struct ExpandedSize {
    let limit: Int64
    var total: Int64 = 0

    mutating func add(_ bytes: Int64) throws(ArchiveError) {
      total += bytes
      guard total <= limit else {
        throw ArchiveError(
          archivePath: "",
          reason: "its entries expand to more than \(ByteSize.shown(limit)) "
            + "(--max-expanded-size), so it was not read further; raise --max-expanded-size if "
            + "it really holds that much")
      }
    }
  }

  private func warn(_ name: String, _ location: String? = nil, because reason: String) {
    let place = location.map { " \($0)" } ?? ""
    sink.standardError("warning: skipping '\(name)'\(place): \(reason).\n")
  }

  private func resolvedRoot() throws(DataError) -> String {
    let absolute = root.hasPrefix("/") ? root : currentDirectory + "/" + root
    guard let real = Self.realPath(absolute) else {
      throw DataError(
        "Cannot use the root '\(root)' (--root or CI_PROJECT_DIR): \(Self.lastError()).")
    }
    return real
  }

  /// `text` as a pattern that matches only itself.
  static func escapingGlob(_ text: String) -> String {
    var result = ""
    for character in text {
      if "*?[]\\".contains(character) { result.append("\\") }
      result.append(character)
    }
    return result
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// `path` with `.` and empty segments removed and `..` applied, without touching the disk.
  static func lexicallyNormalised(_ path: String) -> String {
    var segments: [Substring] = []
    for segment in path.split(separator: "/") {
      if segment == "." { continue }
      if segment == ".." {
        if !segments.isEmpty { segments.removeLast() }
        continue
      }
      segments.append(segment)
    }
    return "/" + segments.joined(separator: "/")
  }

  private static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }

  private static func lastComponent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  private static func describe(mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFLNK: "a symbolic link"
    case S_IFCHR, S_IFBLK: "a device"
    case S_IFIFO: "a FIFO"
    case S_IFSOCK: "a socket"
    default: "of an unknown type"
    }
  }

  private static func lastError() -> String {
    String(cString: strerror(errno))
  }
}
