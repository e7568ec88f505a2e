#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the assets come from and how they become links (README, "Configuration"; docs/scanning.md).
public struct AssetOptions: Sendable {
  /// `PATH` arguments: files and directories under the root.
  public var paths: [String]
  /// `--archive FILE`, repeatable.
  public var archives: [String]
  /// `--artifacts-job JOB_ID`: the job whose artifacts archive is downloaded and scanned.
  public var artifactsJob: String?
  /// `--include GLOB`: when any is given, only matching artifact paths are assets.
  public var include: [String]
  /// `--exclude GLOB`: matching artifact paths are never assets.
  public var exclude: [String]
  /// False with `--no-checksums`.
  public var checksums: Bool
  public var derivation: DerivationOptions
  /// `--max-expanded-size`: the most bytes the entries of one archive may add up to.
  public var maximumExpandedBytes: Int64

  /// 10 GiB: ten times the largest artifacts archive GitLab.com accepts.
  public static let defaultMaximumExpandedBytes: Int64 = 10 << 30

  public init(
    paths: [String] = [], archives: [String] = [], artifactsJob: String? = nil,
    include: [String] = [], exclude: [String] = [], checksums: Bool = true,
    derivation: DerivationOptions = DerivationOptions(),
    maximumExpandedBytes: Int64 = AssetOptions.defaultMaximumExpandedBytes
  ) {
    self.paths = paths
    self.archives = archives
    self.artifactsJob = artifactsJob
    self.include = include
    self.exclude = exclude
    self.checksums = checksums
    self.derivation = derivation
    self.maximumExpandedBytes = maximumExpandedBytes
  }
}

/// Scan → filter → derive → collision check: the links a release should have.
public enum AssetPipeline {
  /// Scans, filters, derives, checks collisions (one ``DataError`` listing all).
  ///
  /// Templates, patterns and the settings they need are checked before anything is read, so a
  /// usage error (64) never waits for a large archive. With no `PATH`, `--archive` or
  /// `--artifacts-job` there is nothing to scan: a usage error rather than an empty release.
  /// - Parameter downloadArtifacts: called for `--artifacts-job` with the job id and the open
  ///   descriptor of a temporary file to write the archive to. The file is unlinked before the
  ///   download starts, so nothing is left behind however the run ends (SIGTERM or SIGKILL
  ///   included); its space is freed when the descriptor closes.
  public static func derive(
    _ options: AssetOptions, configuration: Configuration, context: Context,
    downloadArtifacts: ((_ jobID: String, _ fileDescriptor: Int32) throws -> Void)?
  ) throws -> [DerivedLink] {
    if options.paths.isEmpty && options.archives.isEmpty && options.artifactsJob == nil {
      throw UsageError(
        "Nothing to scan: pass one or more PATH arguments, --archive FILE or --artifacts-job JOB_ID."
      )
    }
    let deriver = try LinkDeriver(
      options: options.derivation, configuration: configuration, jobID: options.artifactsJob)
    let includes = try options.include.map { pattern throws(UsageError) in
      try GlobPattern(pattern)
    }
    let excludes = try options.exclude.map { pattern throws(UsageError) in
      try GlobPattern(pattern)
    }
    let scanner = AssetScanner(
      root: configuration.root(currentDirectory: context.currentDirectory).value,
      currentDirectory: context.currentDirectory, checksums: options.checksums,
      isSelected: { path in
        (includes.isEmpty || includes.contains { $0.matches(path) })
          && !excludes.contains { $0.matches(path) }
      }, sink: context.sink, maximumExpandedBytes: options.maximumExpandedBytes)

    var assets: [Asset] = []
    // Under the root an artifact path names one file, so a file reached twice (`dist dist/app.deb`)
    // is one asset.
    var scannedFiles = Set<String>()
    for path in options.paths {
      for asset in try scanner.scanPath(path) where scannedFiles.insert(asset.artifactPath).inserted
      {
        assets.append(asset)
      }
    }
    for archive in options.archives {
      assets += try scanner.scanArchive(archive)
    }
    if let jobID = options.artifactsJob {
      guard let downloadArtifacts else {
        throw UsageError("--artifacts-job needs a connection to GitLab, which this command lacks.")
      }
      assets += try scanDownloadedArtifacts(
        jobID: jobID, scanner: scanner, environment: context.environment,
        download: downloadArtifacts)
    }
    let links = deriver.deriveAll(assets)
    let blank = links.filter { $0.name.allSatisfy(\.isWhitespace) }
    if !blank.isEmpty {
      let paths = blank.map { "'\($0.asset.artifactPath)'" }.joined(separator: ", ")
      throw DataError(
        "GitLab refuses a blank link name, and these assets would get one: \(paths). Rename the "
          + "files, or give --name-template; nothing was sent.")
    }
    try LinkNames.checkControlCharacters(links)
    try LinkCollisions.check(links)
    return links
  }

  private static func scanDownloadedArtifacts(
    jobID: String, scanner: AssetScanner, environment: Environment,
    download: (_ jobID: String, _ fileDescriptor: Int32) throws -> Void
  ) throws -> [Asset] {
    var directory = environment["TMPDIR"] ?? "/tmp"
    while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
    var template = Array("\(directory)/release-linker-artifacts-XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer in
      mkstemp(buffer.baseAddress.unsafelyUnwrapped)
    }
    guard descriptor >= 0 else {
      throw DataError(
        "Cannot create a temporary file in '\(directory)' for the artifacts of job \(jobID): "
          + "\(String(cString: strerror(errno))). Set TMPDIR to a writable folder.")
    }
    defer { close(descriptor) }
    // Unlinked at once: the open descriptor is the only way to the file, so no exit, however
    // abrupt, leaves a partial download in TMPDIR.
    template.withUnsafeBufferPointer { buffer in _ = unlink(buffer.baseAddress.unsafelyUnwrapped) }
    try download(jobID, descriptor)
    _ = lseek(descriptor, 0, SEEK_SET)
    return try scanner.scanArchive(
      fileDescriptor: descriptor, displayName: "artifacts archive of job \(jobID)")
  }
}

/// What GitLab and a terminal make of link names.
public enum LinkNames {
  /// Refuses (65) links whose name holds a control character (a line break, ESC…) or a
  /// bidirectional control (U+202E…): the release page would show something other than the file,
  /// and GitLab stores them as they are.
  public static func checkControlCharacters(_ links: [DerivedLink]) throws(DataError) {
    let bad = links.filter {
      $0.name.unicodeScalars.contains(where: ControlCharacters.affectsDisplay)
    }
    guard !bad.isEmpty else { return }
    throw DataError(
      lines: [
        "\(bad.count) link name\(bad.count == 1 ? "" : "s") would hold control characters "
          + "(line breaks, escapes, bidirectional overrides), which would show on the release "
          + "page as something other than the file; nothing was sent. Rename the files, or give "
          + "--name-template:"
      ] + bad.prefix(20).map { "  '\($0.name)' from '\($0.asset.artifactPath)'" }
        + (bad.count > 20 ? ["  … and \(bad.count - 20) more"] : []))
  }
}
