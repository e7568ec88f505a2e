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
  /// `--artifacts-job JOB_ID`, repeatable: the jobs whose artifacts archives are downloaded and
  /// scanned; each one's links point at that job.
  public var artifactsJobs: [String]
  /// `--manifest GLOB`, repeatable (`publish`, `plan`): link sets written by `scan --manifest` in
  /// build jobs, taken as they are (docs/manifests.md).
  public var manifests: [String]
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
    paths: [String] = [], archives: [String] = [], artifactsJobs: [String] = [],
    manifests: [String] = [], include: [String] = [], exclude: [String] = [],
    checksums: Bool = true,
    derivation: DerivationOptions = DerivationOptions(),
    maximumExpandedBytes: Int64 = AssetOptions.defaultMaximumExpandedBytes
  ) {
    self.paths = paths
    self.archives = archives
    self.artifactsJobs = artifactsJobs
    self.manifests = manifests
    self.include = include
    self.exclude = exclude
    self.checksums = checksums
    self.derivation = derivation
    self.maximumExpandedBytes = maximumExpandedBytes
  }
}

/// Scan → filter → derive → collision check: the links a release should have.
public enum AssetPipeline {
  /// Scans, filters, derives, checks collisions (one ``RefusedLinksError`` listing all).
  ///
  /// Templates, patterns and the settings they need are checked before anything is read, so a
  /// usage error (64) never waits for a large archive. With no `PATH`, `--archive`,
  /// `--artifacts-job` or `--manifest` there is nothing to scan: a usage error rather than an empty
  /// release; sources that hold no asset are a data error (65). The links of manifests come after
  /// the scanned ones, manifest by manifest in byte order of their file names, and the collision
  /// check covers them all.
  /// - Parameter downloadArtifacts: called for each `--artifacts-job` with the job id and the open
  ///   descriptor of a temporary file to write the archive to. The file is unlinked before the
  ///   download starts, so nothing is left behind however the run ends (SIGTERM or SIGKILL
  ///   included); its space is freed when the descriptor closes.
  public static func derive(
    _ options: AssetOptions, configuration: Configuration, context: Context,
    downloadArtifacts: ((_ jobID: String, _ fileDescriptor: Int32) throws -> Void)?
  ) throws -> [DerivedLink] {
    try check(options)
    let scans =
      !options.paths.isEmpty || !options.archives.isEmpty || !options.artifactsJobs.isEmpty
    // Only what the run scans itself is derived here: manifests bring their links ready-made.
    let deriver =
      scans
      ? try LinkDeriver(
        options: options.derivation, configuration: configuration,
        defaultJobAssets: !options.paths.isEmpty || !options.archives.isEmpty) : nil
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

    // Manifests are small: read and check them before any archive is read or downloaded, so that
    // a bad one costs no request.
    let manifestLinks =
      options.manifests.isEmpty
      ? []
      : try readManifests(
        options.manifests, expecting: try manifestOwner(configuration), context: context)

    let assets = try scanSources(
      options, scanner: scanner, environment: context.environment,
      downloadArtifacts: downloadArtifacts)
    if scans && assets.isEmpty { throw noAssets(options) }
    let links = (deriver?.deriveAll(assets) ?? []) + manifestLinks
    guard !links.isEmpty else {
      throw DataError(
        "No assets to link: the manifests given list no link. Check that the build jobs scanned "
          + "their files, and the globs given to --manifest.")
    }
    try LinkNames.checkBlank(links)
    try LinkNames.checkControlCharacters(links)
    try LinkCollisions.check(links)
    return links
  }

  /// The assets of the paths, the archives and the downloaded artifacts, in that order.
  private static func scanSources(
    _ options: AssetOptions, scanner: AssetScanner, environment: Environment,
    downloadArtifacts: ((_ jobID: String, _ fileDescriptor: Int32) throws -> Void)?
  ) throws -> [Asset] {
    var assets: [Asset] = []
    // Under the root an artifact path names one file, so a file reached twice (`dist dist/app.deb`)
    // is one asset.
    var scannedFiles = Set<String>()
    for argument in options.paths {
      for path in try scanner.expand(argument) {
        for asset in try scanner.scanPath(path)
        where scannedFiles.insert(asset.artifactPath).inserted {
          assets.append(asset)
        }
      }
    }
    for archive in options.archives {
      assets += try scanner.scanArchive(archive)
    }
    for jobID in options.artifactsJobs {
      guard let downloadArtifacts else {
        throw UsageError("--artifacts-job needs a connection to GitLab, which this command lacks.")
      }
      assets += try scanDownloadedArtifacts(
        jobID: jobID, scanner: scanner, environment: environment,
        download: downloadArtifacts
      ).map { asset in
        var asset = asset
        asset.jobID = jobID
        return asset
      }
    }
    return assets
  }

  /// The project and tag a manifest must name to be published by this run.
  private static func manifestOwner(_ configuration: Configuration) throws -> (
    project: ProjectIdentity, tag: String
  ) {
    (try ProjectIdentity(configuration: configuration), try configuration.tag().value)
  }

  /// The links of every manifest the globs match, each file read once, in byte order of the paths.
  private static func readManifests(
    _ globs: [String], expecting expected: (project: ProjectIdentity, tag: String),
    context: Context
  ) throws(DataError) -> [DerivedLink] {
    var files: [ManifestFiles.File] = []
    var seen = Set<String>()
    for glob in globs {
      for file in try ManifestFiles.expand(glob, currentDirectory: context.currentDirectory)
      where seen.insert(AssetScanner.realPath(file.path) ?? file.path).inserted {
        files.append(file)
      }
    }
    files.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    var links: [DerivedLink] = []
    for file in files {
      links += try LinkManifest.read(file.path, named: file.name, expecting: expected).links
    }
    return links
  }

  /// The checks on the options alone, before any setting is resolved or any file read.
  static func check(_ options: AssetOptions) throws(UsageError) {
    if options.paths.isEmpty && options.archives.isEmpty && options.artifactsJobs.isEmpty
      && options.manifests.isEmpty
    {
      throw UsageError(
        "Nothing to scan: pass one or more PATH arguments, --archive FILE or --artifacts-job JOB_ID"
          + " (publish and plan: or --manifest GLOB).")
    }
    for jobID in options.artifactsJobs {
      _ = try JobIdentifier.checked(jobID, named: "--artifacts-job")
    }
    if let archive = options.archives.first, options.derivation.pointsAtJobArtifacts {
      // GitLab's artifacts/raw/<path> route serves a file of the job's artifacts; an entry inside
      // an archive that is one of those files has no URL there.
      throw UsageError(
        "The entries of --archive '\(archive)' would be linked to GitLab's job artifacts URL "
          + "(/-/jobs/<id>/artifacts/raw/<path>), which serves the files of a job's artifacts, not "
          + "the entries inside an archive, so those links would not download. For a job's "
          + "artifacts archive use --artifacts-job JOB_ID, which links each entry to that job; for "
          + "entries served elsewhere give --url-template.")
    }
  }

  /// The data error of a run whose sources hold no asset, naming the sources.
  private static func noAssets(_ options: AssetOptions) -> DataError {
    var sources = options.paths.map { "'\($0)'" }
    sources += options.archives.map { "the archive '\($0)'" }
    sources += options.artifactsJobs.map { "the artifacts archive of job \($0)" }
    let filtered = !options.include.isEmpty || !options.exclude.isEmpty
    return DataError(
      "No assets to link: \(sources.joined(separator: ", ")) "
        + "\(sources.count == 1 ? "holds" : "hold") no regular file"
        + (filtered ? " that passes --include/--exclude" : "")
        + ". Check the paths, the filters, or the build job's `artifacts:paths`.")
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
    // The download is gone once scanned, so its entries cannot be read a second time (uploaded).
    return try scanner.scanArchive(
      fileDescriptor: descriptor, displayName: "artifacts archive of job \(jobID)"
    ).map {
      var asset = $0
      asset.origin = nil
      return asset
    }
  }
}

/// What GitLab and a terminal make of link names.
public enum LinkNames {
  /// Refuses (65) links whose name is blank: GitLab refuses them.
  public static func checkBlank(_ links: [DerivedLink]) throws(RefusedLinksError) {
    var blank: [Int: String] = [:]
    for (index, link) in links.enumerated() where link.name.allSatisfy(\.isWhitespace) {
      blank[index] = "GitLab refuses a blank link name."
    }
    if !blank.isEmpty {
      let paths = blank.keys.sorted().map { "'\(links[$0].asset.artifactPath)'" }
        .joined(separator: ", ")
      throw RefusedLinksError(
        message: "GitLab refuses a blank link name, and these assets would get one: \(paths). "
          + "Rename the files, or give --name-template; nothing was sent.",
        links: links, problems: blank)
    }
  }

  /// Refuses (65) links whose name holds a control character (a line break, ESC…) or a
  /// bidirectional control (U+202E…): the release page would show something other than the file,
  /// and GitLab stores them as they are.
  public static func checkControlCharacters(_ links: [DerivedLink]) throws(RefusedLinksError) {
    var problems: [Int: String] = [:]
    for (index, link) in links.enumerated()
    where link.name.unicodeScalars.contains(where: ControlCharacters.affectsDisplay) {
      problems[index] = "Its name holds control characters, which GitLab would show as they are."
    }
    guard !problems.isEmpty else { return }
    let bad = problems.keys.sorted()
    throw RefusedLinksError(
      lines: [
        "\(bad.count) link name\(bad.count == 1 ? "" : "s") would hold control characters "
          + "(line breaks, escapes, bidirectional overrides), which would show on the release "
          + "page as something other than the file; nothing was sent. Rename the files, or give "
          + "--name-template:"
      ]
        + bad.prefix(20).map { "  '\(links[$0].name)' from '\(links[$0].asset.artifactPath)'" }
        + (bad.count > 20 ? ["  … and \(bad.count - 20) more"] : []),
      links: links, problems: problems)
  }
}
