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

  public init(
    paths: [String] = [], archives: [String] = [], artifactsJob: String? = nil,
    include: [String] = [], exclude: [String] = [], checksums: Bool = true,
    derivation: DerivationOptions = DerivationOptions()
  ) {
    self.paths = paths
    self.archives = archives
    self.artifactsJob = artifactsJob
    self.include = include
    self.exclude = exclude
    self.checksums = checksums
    self.derivation = derivation
  }
}

/// Scan → filter → derive → collision check: the links a release should have.
public enum AssetPipeline {
  /// Scans, filters, derives, checks collisions (one ``DataError`` listing all).
  ///
  /// Templates, patterns and the settings they need are checked before anything is read, so a
  /// usage error (64) never waits for a large archive. With no `PATH`, `--archive` or
  /// `--artifacts-job` there is nothing to scan: a usage error rather than an empty release.
  /// - Parameter downloadArtifacts: called for `--artifacts-job` with the job id and a temporary
  ///   file to write the archive to; the file is scanned as a stream and removed afterwards.
  public static func derive(
    _ options: AssetOptions, configuration: Configuration, context: Context,
    downloadArtifacts: ((_ jobID: String, _ path: String) throws -> Void)?
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
      }, sink: context.sink)

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
    try LinkCollisions.check(links)
    return links
  }

  private static func scanDownloadedArtifacts(
    jobID: String, scanner: AssetScanner, environment: Environment,
    download: (_ jobID: String, _ path: String) throws -> Void
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
    close(descriptor)
    let path = template.withUnsafeBufferPointer { buffer in
      String(cString: buffer.baseAddress.unsafelyUnwrapped)
    }
    defer { unlink(path) }
    try download(jobID, path)
    // The download is removed once scanned, so its entries cannot be read a second time.
    return try scanner.scanArchive(path, displayName: "artifacts archive of job \(jobID)").map {
      var asset = $0
      asset.origin = nil
      return asset
    }
  }
}
