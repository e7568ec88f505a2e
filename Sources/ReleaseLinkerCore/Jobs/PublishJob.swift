import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `publish` and `plan` were asked to do, beyond the shared configuration.
public struct PublishRequest: Sendable {
  public var assets: AssetOptions
  public var prune: Bool
  public var dryRun: Bool
  /// Create the release first when it does not exist.
  public var createRelease: Bool
  /// The created release's name (default: the tag).
  public var releaseName: String?
  /// A file holding the created release's description.
  public var releaseNotesFile: String?
  /// Where to write the JSON report as well.
  public var reportFile: String?
  /// Where to write the GitLab dotenv report.
  public var dotenvFile: String?
  /// Print the JSON document on standard output instead of text.
  public var json: Bool
  /// `--upload generic`: upload each asset to the generic package registry and link it there.
  public var upload: UploadRequest?
  /// `--checksums FILE`: write a `sha256sum -c` file of every asset (uploaded and linked too in
  /// upload mode).
  public var checksumsFile: String?
  /// `--verify`: after publishing, fetch every link of the release as a person would.
  public var verify: Bool

  public init(
    assets: AssetOptions, prune: Bool = false, dryRun: Bool = false, createRelease: Bool = false,
    releaseName: String? = nil, releaseNotesFile: String? = nil, reportFile: String? = nil,
    dotenvFile: String? = nil, json: Bool = false, upload: UploadRequest? = nil,
    checksumsFile: String? = nil, verify: Bool = false
  ) {
    self.assets = assets
    self.prune = prune
    self.dryRun = dryRun
    self.createRelease = createRelease
    self.releaseName = releaseName
    self.releaseNotesFile = releaseNotesFile
    self.reportFile = reportFile
    self.dotenvFile = dotenvFile
    self.json = json
    self.upload = upload
    self.checksumsFile = checksumsFile
    self.verify = verify
  }
}

/// The main job: scan the artifacts, derive the links, reconcile the release, report.
public enum PublishJob {
  /// Runs `publish` (or `plan`) and returns the exit status the run ends with. Problems found before
  /// anything is read from GitLab (settings, artifacts, collisions) are thrown; once the release has been
  /// asked for, the reports are written whatever happens.
  public static func run(
    _ request: PublishRequest, configuration: Configuration, context: Context
  ) throws -> ExitStatus {
    let project = try configuration.project().value
    let tag = try configuration.tag().value
    let concurrency = try configuration.concurrency().value
    let draft = try request.createRelease ? releaseDraft(request, tag: tag, context: context) : nil
    // A report that cannot be written is a usage error: say so before anything is sent.
    try checkFolder(of: request.reportFile, flag: "--report", context: context)
    try checkFolder(of: request.dotenvFile, flag: "--dotenv", context: context)
    let checksums = try request.checksumsFile.map { try ChecksumsOutput($0, context: context) }
    let assetOptions =
      request.upload == nil ? request.assets : UploadPhase.assetOptions(request.assets)
    let connection = try GitLabConnection.make(configuration: configuration, context: context)
    var desired = try AssetPipeline.derive(
      assetOptions, configuration: configuration, context: context,
      downloadArtifacts: { jobID, path in
        try connection.downloadJobArtifacts(project: project, jobID: jobID, to: path)
      })
    guard !desired.isEmpty else {
      throw DataError(
        "No assets to link: the paths and archives given hold no regular file that passes "
          + "--include/--exclude. Check the paths, or the job's `artifacts:paths`.")
    }
    let phase = try request.upload.map { upload in
      try UploadPhase.prepare(
        desired, request: upload, checksums: checksums, derivation: assetOptions.derivation,
        configuration: configuration, context: context)
    }
    if phase == nil, let checksums {
      desired = checksums.excludingItself(desired)
      try checksums.write(checksums.entries(of: desired))
    }

    let style = TerminalStyle(environment: context.environment, isTerminal: context.sink.isTerminal)
    let sink = context.sink
    let json = request.json
    let human: (String) -> Void = { text in
      if json { sink.standardError(text) } else { sink.standardOutput(text) }
    }
    let section = CollapsibleSection(
      name: "release_linker",
      header: "release-linker: \(request.dryRun ? "planning" : "publishing") "
        + "\(desired.count) link\(desired.count == 1 ? "" : "s") for \(tag)")
    let inCI = context.environment.isGitLabCI
    if inCI { human(section.start(at: now())) }
    defer { if inCI { human(section.end(at: now())) } }

    let client = ReleaseLinksClient(connection: connection, project: project, tag: tag)
    let options = PublishOptions(
      prune: request.prune, dryRun: request.dryRun, createRelease: draft, concurrency: concurrency)
    var outcome: PublishOutcome
    var uploads = phase.map {
      UploadRun(
        phase: $0, registry: GenericPackagesClient(connection: connection, project: project),
        concurrency: concurrency, dryRun: request.dryRun, context: context)
    }
    do {
      if uploads != nil { desired = try uploads?.upload(existingLinks: client.existingLinks) ?? [] }
      outcome = try Publisher.publish(
        desired, to: client, project: project.rawValue, tag: tag, options: options)
    } catch let error as any ReleaseLinkerError {
      // The release could not be read or created: nothing was written, and every link says why.
      // With --output json the document still goes to standard output, the same as in --report.
      let failed = PublishOutcome.unattempted(desired, because: error)
      if json {
        RunReport(outcome: failed, project: project.rawValue, tag: tag, dryRun: request.dryRun)
          .writeJSON { sink.standardOutput($0) }
      }
      try writeReports(
        failed, request: request, project: project.rawValue, tag: tag, context: context)
      throw error
    }

    var sections: [RunReport.Section] = []
    var statuses = [outcome.exitStatus]
    var verifyText: String?
    if var run = uploads, let projectURL = phase?.projectURL {
      run.finish(&outcome)
      statuses = [outcome.exitStatus]
      if let done = run.outcome {
        human(UploadTextReport(outcome: done, dryRun: request.dryRun, style: style).text)
        sections.append(RunReport.uploadsSection(done, projectURL: projectURL))
        statuses.append(done.exitStatus)
      }
    }
    if request.verify && !request.dryRun {
      let checks = VerifyJob.check(
        try client.list(), connection: connection, concurrency: concurrency)
      let verified = VerifyReport(checks: checks, tag: tag, style: style)
      sections.append(RunReport.Section(key: "verify", json: verified.json))
      statuses.append(verified.failed > 0 ? .failures : .success)
      verifyText = verified.text
    }
    var report = RunReport(
      outcome: outcome, project: project.rawValue, tag: tag, dryRun: request.dryRun)
    report.sections = sections
    if request.json {
      report.writeJSON { sink.standardOutput($0) }
      human(
        PublishTextReport(outcome: outcome, tag: tag, dryRun: request.dryRun, style: style).summary
          + "\n")
    } else {
      human(
        PublishTextReport(outcome: outcome, tag: tag, dryRun: request.dryRun, style: style).text)
    }
    if let verifyText { human(verifyText) }
    try writeReports(
      outcome, request: request, project: project.rawValue, tag: tag, sections: sections,
      context: context)
    return ExitStatus.worst(statuses)
  }

  private static func releaseDraft(
    _ request: PublishRequest, tag: String, context: Context
  ) throws -> ReleaseDraft {
    var notes = ""
    if let file = request.releaseNotesFile {
      do {
        notes = try String(contentsOfFile: resolve(file, in: context), encoding: .utf8)
      } catch {
        throw UsageError("Cannot read the release notes file '\(file)' given with --release-notes.")
      }
    }
    return ReleaseDraft(tag: tag, name: request.releaseName ?? tag, description: notes)
  }

  private static func writeReports(
    _ outcome: PublishOutcome, request: PublishRequest, project: String, tag: String,
    sections: [RunReport.Section] = [], context: Context
  ) throws {
    if let file = request.reportFile {
      var report = RunReport(outcome: outcome, project: project, tag: tag, dryRun: request.dryRun)
      report.sections = sections
      try write(report.jsonText(), to: file, flag: "--report", context: context)
    }
    if let file = request.dotenvFile {
      try write(
        DotenvReport.render(tag: tag, counts: outcome.counts), to: file, flag: "--dotenv",
        context: context)
    }
  }

  private static func write(_ text: String, to file: String, flag: String, context: Context) throws
  {
    do {
      try Data(text.utf8).write(to: URL(filePath: resolve(file, in: context)))
    } catch {
      throw UsageError(
        "Cannot write the file '\(file)' given with \(flag): check that its folder exists.")
    }
  }

  private static func checkFolder(of file: String?, flag: String, context: Context) throws {
    guard let file else { return }
    let path = resolve(file, in: context)
    let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    guard access(folder.isEmpty ? "/" : folder, W_OK) == 0 else {
      throw UsageError(
        "Cannot write the file '\(file)' given with \(flag): its folder does not exist or is "
          + "not writable.")
    }
  }

  private static func resolve(_ path: String, in context: Context) -> String {
    path.hasPrefix("/") ? path : context.currentDirectory + "/" + path
  }

  private static func now() -> Int {
    Int(Date.now.timeIntervalSince1970)
  }
}

extension PublishOutcome {
  /// The outcome of a run that stopped before any write: every desired link failed with `error`.
  static func unattempted(_ desired: [DerivedLink], because error: any ReleaseLinkerError)
    -> PublishOutcome
  {
    let plan = ReleasePlan(desired: desired, existing: [], prune: false)
    let kind: WriteFailureKind =
      switch error.exitStatus {
      case .noPermission: .authentication
      case .unavailable: .unavailable
      default: .rejected
      }
    let results = plan.steps.map { _ in
      StepResult(status: .failed, error: error.message, failureKind: kind)
    }
    return PublishOutcome(plan: plan, results: results, createdRelease: false)
  }
}
