#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `publish --upload generic` (and `plan --upload generic`), as the CLI gives it.
public struct UploadRequest: Sendable, Equatable {
  /// `--package-name`; nil for the project path's last segment made valid.
  public var packageName: String?
  /// `--package-version`; nil for the tag made valid.
  public var packageVersion: String?
  public var packageStatus: PackageStatus
  /// `--max-file-size`: larger assets stop the run before anything is sent (65).
  public var maximumFileSize: Int64

  /// GitLab.com's `generic_packages_max_file_size`, 5 GiB.
  public static let defaultMaximumFileSize: Int64 = 5 << 30

  public init(
    packageName: String? = nil, packageVersion: String? = nil,
    packageStatus: PackageStatus = .default, maximumFileSize: Int64 = defaultMaximumFileSize
  ) {
    self.packageName = packageName
    self.packageVersion = packageVersion
    self.packageStatus = packageStatus
    self.maximumFileSize = maximumFileSize
  }
}

/// The uploads of a publish run, between deriving the links and reconciling them: every check
/// that needs no request first (names, sizes, collisions), then the uploads, then the links'
/// URLs, which only the registry's answers make known.
struct UploadPhase {
  /// Stands in for a package file's id until the upload tells it; never sent.
  static let pendingURLTemplate = "{project_url}/-/package_files/new/download?file={path}"

  let target: PackageTarget
  let projectURL: String
  var links: [DerivedLink]
  var items: [PackageUploadItem]
  /// The checksums file's link and item, appended after the others once it is written.
  var checksums: (output: ChecksumsOutput, link: DerivedLink, fileName: String)?

  /// The scan's options for upload mode: no checksums in the scan (a file is hashed only when the
  /// registry holds one of the same name and size; an upload takes GitLab's own SHA-256), URLs
  /// filled in after the upload, and `link_type` `package` unless a rule or `--link-type` says
  /// otherwise.
  static func assetOptions(_ options: AssetOptions) -> AssetOptions {
    var options = options
    options.checksums = false
    options.derivation.urlTemplate = pendingURLTemplate
    options.derivation.refURLs = false
    options.derivation.linkType = options.derivation.linkType ?? .package
    return options
  }

  /// Checks everything that can be checked before a request: the package's name and version, each
  /// asset's file name (65 naming the asset when none is valid, and when two assets would share
  /// one), sizes over `--max-file-size` (65) and assets whose bytes cannot be read again (64).
  static func prepare(
    _ derived: [DerivedLink], request: UploadRequest, checksums: ChecksumsOutput?,
    derivation: DerivationOptions, configuration: Configuration, context: Context
  ) throws -> UploadPhase {
    let projectURL = try configuration.projectURL().value
    let target = PackageTarget(
      name: try packageName(request, configuration: configuration, projectURL: projectURL),
      version: try packageVersion(request, configuration: configuration),
      status: request.packageStatus)
    let links = checksums?.excludingItself(derived) ?? derived
    var names = PackageFileNames()
    let items = try uploadItems(links, request: request, names: &names)
    var checksumsEntry: (output: ChecksumsOutput, link: DerivedLink, fileName: String)?
    if let checksums {
      checksumsEntry = try Self.checksumsEntry(
        checksums, links: links, derivation: derivation, configuration: configuration,
        context: context, names: &names)
    }
    try names.check()
    return UploadPhase(
      target: target, projectURL: projectURL, links: links, items: items,
      checksums: checksumsEntry)
  }

  /// One upload item per link, its bytes read again from the file or archive entry it was
  /// scanned from; an archive compressed as one stream is read in one pass for all its entries.
  private static func uploadItems(
    _ links: [DerivedLink], request: UploadRequest, names: inout PackageFileNames
  ) throws -> [PackageUploadItem] {
    var items: [PackageUploadItem] = []
    var unreadable: [String] = []
    var tooLarge: [String] = []
    let cursors = ArchiveCursors()
    var streamed: [String: Bool] = [:]
    for link in links {
      let path = link.asset.artifactPath
      guard let origin = link.asset.origin else {
        unreadable.append(link.asset.quotedSource)
        continue
      }
      if link.asset.size > request.maximumFileSize {
        tooLarge.append("'\(path)' (\(link.asset.size) bytes)")
      }
      guard let fileName = names.claim(FileName(path).basename, by: path) else { continue }
      var passKey: String?
      if case .archiveEntry(let archive, _) = origin {
        if streamed[archive] == nil {
          streamed[archive] = (try? ArchiveReader(path: archive))?.isCompressedStream ?? true
        }
        if streamed[archive] == true { passKey = archive }
      }
      items.append(
        PackageUploadItem(
          fileName: fileName,
          source: UploadSource(
            origin: origin, size: link.asset.size, cursors: cursors, passKey: passKey),
          sha256: link.asset.sha256))
    }
    if !unreadable.isEmpty {
      throw UsageError(
        "--upload generic streams each asset from this job's disk, but these are not on it: "
          + "\(unreadable.joined(separator: ", ")). The entries of an --artifacts-job download are "
          + "gone once scanned, and a --manifest only names files of other jobs. Let the job "
          + "download the artifacts (`needs:`) and pass their folder, or --archive the archive.")
    }
    if !tooLarge.isEmpty {
      throw DataError(
        "\(tooLarge.count) asset\(tooLarge.count == 1 ? " is" : "s are") larger than "
          + "--max-file-size (\(request.maximumFileSize) bytes), which the registry would refuse "
          + "(File is too large); nothing was sent: \(tooLarge.joined(separator: ", ")).")
    }
    return items
  }

  /// The `--checksums` file's link and package file name; it is uploaded last, once written.
  private static func checksumsEntry(
    _ checksums: ChecksumsOutput, links: [DerivedLink], derivation: DerivationOptions,
    configuration: Configuration, context: Context, names: inout PackageFileNames
  ) throws -> (output: ChecksumsOutput, link: DerivedLink, fileName: String) {
    let deriver = try LinkDeriver(options: derivation, configuration: configuration)
    let root = AssetScanner.realPath(
      configuration.root(currentDirectory: context.currentDirectory).value)
    let artifactPath =
      root.flatMap { root in
        checksums.path.hasPrefix(root + "/")
          ? String(checksums.path.dropFirst(root.count + 1)) : nil
      } ?? checksums.fileName
    let link = deriver.derive(
      Asset(artifactPath: artifactPath, size: 0, sha256: nil, origin: .file(path: checksums.path)))
    guard GenericPackageRules.makeFileName(checksums.fileName) != nil else {
      throw DataError(
        "The checksums file '\(checksums.given)' cannot be stored in the package: no valid "
          + "package file name can be made of its name.")
    }
    let fileName = names.claim(checksums.fileName, by: artifactPath) ?? checksums.fileName
    try LinkCollisions.check(links + [link])
    return (checksums, link, fileName)
  }

  /// `--package-name`, checked as given; else the project's path (or URL) last segment made valid.
  static func packageName(
    _ request: UploadRequest, configuration: Configuration, projectURL: String
  ) throws -> String {
    if let name = request.packageName {
      guard GenericPackageRules.isValidName(name) else {
        throw UsageError(
          "--package-name '\(name)' is not a valid generic package name: GitLab accepts letters, "
            + "digits and . _ - + only (and not . or ..).")
      }
      return name
    }
    let project = try configuration.project().value
    let path = project.isNumeric ? projectURL : project.rawValue
    let last = path.split(separator: "/").last.map(String.init) ?? path
    guard let name = GenericPackageRules.makeName(last) else {
      throw UsageError(
        "No valid generic package name can be made of the project's name '\(last)': pass "
          + "--package-name.")
    }
    return name
  }

  /// `--package-version`, checked as given; else the tag made valid.
  static func packageVersion(_ request: UploadRequest, configuration: Configuration) throws
    -> String
  {
    if let version = request.packageVersion {
      guard GenericPackageRules.isValidVersion(version) else {
        throw UsageError(
          "--package-version '\(version)' is not a valid generic package version: GitLab accepts "
            + "letters, digits and _ + . - only, and no '..'.")
      }
      return version
    }
    let tag = try configuration.tag().value
    guard let version = GenericPackageRules.makeVersion(tag) else {
      throw UsageError(
        "No valid generic package version can be made of the tag '\(tag)': pass --package-version.")
    }
    return version
  }

  /// Uploads the assets, then the checksums file (written from what the uploads learnt), and
  /// points every link at its package file. Throws only when the registry cannot be read.
  mutating func run(uploader: PackageUploader) throws -> PackageUploadOutcome {
    var outcome = try uploader.run(items)
    if let checksums {
      var entries: [(name: String, sha256: String)] = []
      for (index, result) in outcome.results.enumerated() {
        let digest: String
        if let known = result.sha256 {
          digest = known
        } else {
          do {
            digest = try items[index].source.sha256()
          } catch {
            throw UploadSource.unwrap(error)
          }
        }
        outcome.results[index].sha256 = digest
        entries.append((items[index].fileName, digest))
      }
      try checksums.output.write(entries)
      let size = Self.size(of: checksums.output.path)
      let source = UploadSource(origin: .file(path: checksums.output.path), size: size)
      let item = PackageUploadItem(
        fileName: checksums.fileName, source: source, sha256: try? source.sha256())
      let second = try uploader.run([item], snapshot: outcome.snapshot)
      items.append(item)
      var link = checksums.link
      link.asset.size = size
      link.asset.sha256 = item.sha256
      links.append(link)
      outcome.results += second.results
      outcome.snapshot = second.snapshot
    }
    for (index, result) in outcome.results.enumerated() where index < links.count {
      links[index].asset.sha256 = result.sha256 ?? links[index].asset.sha256
      if let file = result.file {
        links[index].url = GenericPackagesClient.downloadURL(
          projectURL: projectURL, fileID: file.id)
      } else {
        links[index].url =
          "\(projectURL)/-/package_files/new/download?file=\(PercentEncoding.segment(result.fileName))"
      }
    }
    return outcome
  }

  private static func size(of path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
  }
}

extension UploadPhase {
  /// The links to reconcile after the uploads, each with the index of its upload. A link whose
  /// upload failed has no package file to point at: an existing link of the release for it is
  /// kept exactly as it is (so neither an update nor `--prune` touches it), and none is created.
  func linksToPublish(
    _ outcome: PackageUploadOutcome, existingLinks: () throws -> [ReleaseLink]?
  ) throws -> [(link: DerivedLink, upload: Int)] {
    let failed = outcome.results.indices.filter { outcome.results[$0].status == .failed }
    var existing: [ReleaseLink] = []
    if !failed.isEmpty { existing = try existingLinks() ?? [] }
    let matches = LinkMatcher.match(desired: failed.map { links[$0] }, existing: existing)
    var keep: [Int: DerivedLink] = [:]
    for (position, index) in failed.enumerated() {
      guard let match = matches[position] else { continue }
      let current = existing[match]
      var link = links[index]
      link.name = current.name
      link.url = current.url
      link.linkType = current.linkType
      link.directAssetPath = current.directAssetPath
      keep[index] = link
    }
    var result: [(link: DerivedLink, upload: Int)] = []
    for index in links.indices where index < outcome.results.count {
      if outcome.results[index].status == .failed {
        if let kept = keep[index] { result.append((kept, index)) }
      } else {
        result.append((links[index], index))
      }
    }
    return result
  }
}

/// The uploads of one publish run, from the first request to the deletion of superseded files.
struct UploadRun {
  var phase: UploadPhase
  let uploader: PackageUploader
  let reporter: UploadProgressReporter
  var outcome: PackageUploadOutcome?
  /// For each link handed to publishing, the index of its upload.
  var uploadOfLink: [Int] = []

  init(
    phase: UploadPhase, registry: any PackageRegistry, concurrency: Int, dryRun: Bool,
    context: Context
  ) {
    self.phase = phase
    let reporter = UploadProgressReporter.make(context: context)
    self.reporter = reporter
    uploader = PackageUploader(
      registry: registry, target: phase.target, concurrency: concurrency, dryRun: dryRun,
      progress: { name, sent, total in reporter.update(fileName: name, sent: sent, total: total) })
  }

  /// Uploads (or, in a dry run, compares) and returns the links to reconcile.
  mutating func upload(existingLinks: () throws -> [ReleaseLink]?) throws -> [DerivedLink] {
    defer { reporter.finish() }
    let outcome = try phase.run(uploader: uploader)
    self.outcome = outcome
    let pairs = try phase.linksToPublish(outcome, existingLinks: existingLinks)
    uploadOfLink = pairs.map(\.upload)
    return pairs.map(\.link)
  }

  /// After the links: deletes the files the links no longer point at, and marks the link of a
  /// failed upload as failed too (it was left as it was).
  mutating func finish(_ links: inout PublishOutcome) {
    guard var outcome else { return }
    var linked = [Bool](repeating: false, count: outcome.results.count)
    for (position, upload) in uploadOfLink.enumerated() where position < links.results.count {
      let done = links.results[position].status == .done
      if outcome.results[upload].status == .failed {
        links.results[position] = StepResult(
          status: .failed,
          error: "Left as it was: the upload of '\(outcome.results[upload].fileName)' failed.",
          failureKind: outcome.results[upload].failureKind)
      } else {
        linked[upload] = done
      }
    }
    uploader.deleteSuperseded(&outcome, linked: linked)
    reportUnlinkedFailures(of: outcome, in: &links)
    self.outcome = outcome
  }

  /// A failed upload that no link points at yet has no link to leave as it was: its link is
  /// reported as a failed create, so that the links' summary, the dotenv counts and the exit
  /// status all say that something is missing. Inserted before the deletions, as desired links
  /// come first.
  private func reportUnlinkedFailures(
    of outcome: PackageUploadOutcome, in links: inout PublishOutcome
  ) {
    let linked = Set(uploadOfLink)
    var steps: [PlannedStep] = []
    var results: [StepResult] = []
    for (index, upload) in outcome.results.enumerated()
    where upload.status == .failed && !linked.contains(index) && index < phase.links.count {
      var link = phase.links[index]
      // Its URL would have been the package file's, which the registry never made.
      link.url = ""
      steps.append(PlannedStep(action: .create, desired: link, existing: nil))
      results.append(
        StepResult(
          status: .failed,
          error: "Not created: the upload of '\(upload.fileName)' failed"
            + (upload.error.map { ": \($0)" } ?? "."),
          failureKind: upload.failureKind))
    }
    guard !steps.isEmpty else { return }
    let position = links.plan.steps.firstIndex { $0.action == .delete } ?? links.plan.steps.count
    links.plan.steps.insert(contentsOf: steps, at: position)
    links.results.insert(contentsOf: results, at: min(position, links.results.count))
  }
}

extension ExitStatus {
  /// The status a run ends with when its parts ended with these: a refused token first, then
  /// GitLab unavailable, then any other failure.
  static func worst(_ statuses: [ExitStatus]) -> ExitStatus {
    for candidate in [ExitStatus.noPermission, .unavailable, .dataError, .usage, .failures]
    where statuses.contains(candidate) {
      return candidate
    }
    return .success
  }
}

/// The package file names the assets claim, in order: a name no valid file name can be made of,
/// or one claimed by two assets, is a problem reported before anything is sent.
struct PackageFileNames {
  private var owners: [String: [String]] = [:]
  private var order: [String] = []
  private var problems: [String] = []

  /// The valid package file name made of `name`, recorded as claimed by `path`; nil (and a
  /// problem) when none can be made.
  mutating func claim(_ name: String, by path: String) -> String? {
    guard let fileName = GenericPackageRules.makeFileName(name) else {
      problems.append("  '\(path)': no valid package file name can be made of its name")
      return nil
    }
    if owners[fileName] == nil { order.append(fileName) }
    owners[fileName, default: []].append(path)
    return fileName
  }

  func check() throws(DataError) {
    var problems = problems
    for name in order {
      guard let paths = owners[name], paths.count > 1 else { continue }
      problems.append(
        "  package file name '\(name)' from " + paths.map { "'\($0)'" }.joined(separator: ", "))
    }
    guard problems.isEmpty else {
      throw DataError(
        "\(problems.count) asset name problem\(problems.count == 1 ? "" : "s") for the generic "
          + "package registry (a package file name holds only letters, digits and . _ - + ~, and is "
          + "unique within the package); nothing was sent. Rename the files, or publish them to "
          + "different packages (--package-name):\n" + problems.joined(separator: "\n"))
    }
  }
}
