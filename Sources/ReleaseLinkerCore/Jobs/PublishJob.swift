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
  /// `--prune-scope GLOB`: with `prune`, only links inside one of these are deleted.
  public var pruneScope: [String]
  /// `--prune-foreign`: with `prune`, links pointing outside the project may be deleted too.
  public var pruneForeign: Bool
  /// `--order`: the order the release page shows the created links in.
  public var order: LinkOrder
  public var dryRun: Bool
  /// Create the release first when it does not exist.
  public var createRelease: Bool
  /// Keep an existing release's name, notes, milestones and release date in step.
  public var updateRelease: Bool
  /// The release's name (default for a created release: the tag).
  public var releaseName: String?
  /// A file holding the release's notes.
  public var releaseNotesFile: String?
  /// How the notes go into the description (default: replace).
  public var notesMode: NotesMode?
  /// Milestone titles the release belongs to.
  public var milestones: [String]
  /// When the release is (or was) ready, ISO 8601.
  public var releasedAt: String?
  /// Where a missing tag is created from.
  public var ref: String?
  /// The message of a tag created from `ref`.
  public var tagMessage: String?
  /// Where to write the JSON report as well.
  public var reportFile: String?
  /// Where to write the GitLab dotenv report.
  public var dotenvFile: String?
  /// Print the JSON document on standard output instead of text.
  public var json: Bool
  /// Print only the failed links and the summary.
  public var quiet: Bool
  /// `--upload generic`: upload each asset to the generic package registry and link it there.
  public var upload: UploadRequest?
  /// `--checksums FILE`: write a `sha256sum -c` file of every asset (uploaded and linked too in
  /// upload mode).
  public var checksumsFile: String?
  /// `--verify`: after publishing, fetch every link of the release as a person would.
  public var verify: Bool

  public init(
    assets: AssetOptions, prune: Bool = false, pruneScope: [String] = [],
    pruneForeign: Bool = false, order: LinkOrder = .none, dryRun: Bool = false,
    createRelease: Bool = false, updateRelease: Bool = false, releaseName: String? = nil,
    releaseNotesFile: String? = nil, notesMode: NotesMode? = nil, milestones: [String] = [],
    releasedAt: String? = nil, ref: String? = nil, tagMessage: String? = nil,
    reportFile: String? = nil,
    dotenvFile: String? = nil, json: Bool = false, quiet: Bool = false,
    upload: UploadRequest? = nil, checksumsFile: String? = nil, verify: Bool = false
  ) {
    self.assets = assets
    self.prune = prune
    self.pruneScope = pruneScope
    self.pruneForeign = pruneForeign
    self.order = order
    self.dryRun = dryRun
    self.createRelease = createRelease
    self.updateRelease = updateRelease
    self.releaseName = releaseName
    self.releaseNotesFile = releaseNotesFile
    self.notesMode = notesMode
    self.milestones = milestones
    self.releasedAt = releasedAt
    self.ref = ref
    self.tagMessage = tagMessage
    self.reportFile = reportFile
    self.dotenvFile = dotenvFile
    self.json = json
    self.quiet = quiet
    self.upload = upload
    self.checksumsFile = checksumsFile
    self.verify = verify
  }
}

/// The main job: scan the artifacts, derive the links, reconcile the release, report.
public enum PublishJob {
  /// Runs `publish` (or `plan`) and returns the exit status the run ends with. A report file that
  /// cannot be written stops the run before anything else (64); from then on, whatever stops the
  /// run (a setting, the artifacts, a collision, GitLab), the reports and the JSON document are
  /// written with every link known so far and its status, and the error is thrown.
  public static func run(
    _ request: PublishRequest, configuration: Configuration, context: Context
  ) throws -> ExitStatus {
    let reports = try ReportFiles.prepare(
      report: request.reportFile, dotenv: request.dotenvFile, context: context)
    // What the reports name, as far as the settings give it.
    let project = (try? configuration.project())?.value.rawValue
    let reportTag = (try? configuration.tag())?.value
    func fail(_ outcome: PublishOutcome, _ error: any ReleaseLinkerError) throws -> Never {
      if request.json {
        RunReport(
          outcome: outcome, project: project, tag: reportTag, dryRun: request.dryRun,
          error: error.message
        ).writeJSON { context.sink.standardOutput($0) }
      }
      try reports.write(
        outcome, project: project, tag: reportTag, dryRun: request.dryRun, error: error.message)
      throw error
    }

    let projectID: ProjectIdentifier
    let releaseTag: String
    let concurrency: Int
    let releaseRequest: ReleaseRequest
    let pruneScope: PruneScope
    let connection: GitLabConnection
    let deadline: Deadline?
    var desired: [DerivedLink]
    let phase: UploadPhase?
    do {
      projectID = try configuration.project().value
      releaseTag = try configuration.tag().value
      concurrency = try configuration.concurrency().value
      releaseRequest = try Self.releaseRequest(request, context: context)
      pruneScope =
        request.prune
        ? try PruneScope(
          patterns: request.pruneScope, pruneForeign: request.pruneForeign,
          configuration: configuration) : .everything
      let gitLab = try context.connection(configuration)
      connection = gitLab
      deadline = try context.deadline(configuration)
      let checksums = try request.checksumsFile.map { try ChecksumsOutput($0, context: context) }
      var assets =
        request.upload == nil ? request.assets : UploadPhase.assetOptions(request.assets)
      // The release job is never the one that built the artifacts: its CI_JOB_NAME is no
      // `--ref-urls` job name.
      assets.derivation.jobNameFlagRequired = true
      desired = try AssetPipeline.derive(
        assets, configuration: configuration, context: context.escapingWarnings,
        downloadArtifacts: { [projectID] jobID, descriptor in
          try gitLab.downloadJobArtifacts(
            project: projectID, jobID: jobID, toFileDescriptor: descriptor)
        })
      phase = try request.upload.map { upload in
        try UploadPhase.prepare(
          desired, request: upload, checksums: checksums, derivation: assets.derivation,
          configuration: configuration, context: context)
      }
      if phase == nil, let checksums {
        desired = checksums.excludingItself(desired)
        try checksums.write(checksums.entries(of: desired))
      }
    } catch let error as RefusedLinksError {
      try fail(.refused(error), error)
    } catch let error as any ReleaseLinkerError {
      try fail(.unattempted([], because: error, actionsKnown: false), error)
    }
    let tag = releaseTag

    let style = TerminalStyle(environment: context.environment, isTerminal: context.sink.isTerminal)
    let sink = context.sink
    let json = request.json
    let human: (String) -> Void = { text in
      if json { sink.standardError(text) } else { sink.standardOutput(text) }
    }
    let section = CollapsibleSection(
      name: "release_linker",
      header: "release-linker: \(request.dryRun ? "planning" : "publishing") "
        + "\(desired.count) link\(desired.count == 1 ? "" : "s") for \(TerminalText.escaped(tag))")
    let inCI = context.environment.isGitLabCI
    if inCI { human(section.start(at: now())) }
    defer { if inCI { human(section.end(at: now())) } }

    let client = ReleaseLinksClient(
      connection: connection, project: projectID, tag: tag,
      pathParameter: .forServer(serverVersion(configuration: configuration, connection: connection))
    )
    let options = PublishOptions(
      prune: request.prune, pruneScope: pruneScope, order: request.order, dryRun: request.dryRun,
      release: releaseRequest, concurrency: concurrency, deadline: deadline)
    var outcome: PublishOutcome
    var uploads = phase.map {
      UploadRun(
        phase: $0, registry: GenericPackagesClient(connection: connection, project: projectID),
        concurrency: concurrency, dryRun: request.dryRun, context: context)
    }
    do {
      if uploads != nil { desired = try uploads?.upload(existingLinks: client.existingLinks) ?? [] }
      outcome = try Publisher.publish(
        desired, to: client, project: projectID.rawValue, tag: tag, options: options)
    } catch let error as any ReleaseLinkerError {
      // The release could not be read or created: nothing was written, and every link says why.
      // A missing release holds no link, so each would have been created; any other failure
      // leaves unknown what the release holds.
      try fail(
        .unattempted(desired, because: error, actionsKnown: error is ReleaseMissingError), error)
    }

    var sections: [RunReport.Section] = []
    var statuses: [ExitStatus] = []
    if var run = uploads, let projectURL = phase?.projectURL {
      run.finish(&outcome)
      if let done = run.outcome {
        human(
          UploadTextReport(
            outcome: done, dryRun: request.dryRun, style: style, quiet: request.quiet
          ).text)
        sections.append(RunReport.uploadsSection(done, projectURL: projectURL))
        statuses.append(done.exitStatus)
      }
    }
    statuses.append(outcome.exitStatus)
    var verifyText: String?
    if request.verify && !request.dryRun {
      let checks = VerifyJob.check(
        try client.list(), connection: connection, concurrency: concurrency)
      let verified = VerifyReport(checks: checks, tag: tag, style: style)
      sections.append(RunReport.Section(key: "verify", json: verified.json))
      statuses.append(verified.failed > 0 ? .failures : .success)
      verifyText = verified.text
    }

    let text = PublishTextReport(
      outcome: outcome, tag: tag, dryRun: request.dryRun, style: style, quiet: request.quiet)
    if request.json {
      var document = RunReport(outcome: outcome, project: project, tag: tag, dryRun: request.dryRun)
      document.sections = sections
      document.writeJSON { sink.standardOutput($0) }
      human(
        (text.releaseLine.map { $0 + "\n" } ?? "") + text.summary + "\n"
          + (text.keptNote.map { $0 + "\n" } ?? ""))
    } else {
      human(text.text)
    }
    if let verifyText { human(verifyText) }
    try reports.write(
      outcome, project: project, tag: tag, dryRun: request.dryRun, sections: sections)
    return ExitStatus.worst(statuses)
  }

  /// What the job asks of the release, its notes read and its date checked before any request.
  private static func releaseRequest(_ request: PublishRequest, context: Context) throws
    -> ReleaseRequest
  {
    var notes: String?
    if let file = request.releaseNotesFile {
      do {
        notes = try String(contentsOfFile: resolve(file, in: context), encoding: .utf8)
      } catch {
        throw UsageError("Cannot read the release notes file '\(file)' given with --release-notes.")
      }
    }
    if let mode = request.notesMode, mode != .keep, notes == nil {
      throw UsageError(
        "--notes-mode \(mode.rawValue) needs the notes: pass --release-notes FILE as well.")
    }
    if let date = request.releasedAt, ISO8601Time.secondsSince1970(date) == nil {
      throw UsageError(
        "--released-at takes an ISO 8601 date and time such as 2026-03-15T08:00:00Z, not '\(date)'."
      )
    }
    let asksForFields =
      request.releaseName != nil || notes != nil || !request.milestones.isEmpty
      || request.releasedAt != nil
    if asksForFields && !request.createRelease && !request.updateRelease {
      context.sink.standardError(
        "warning: --release-name, --release-notes, --milestone and --released-at are ignored "
          + "without --create-release (for a missing release) or --update-release (for an existing "
          + "one).\n")
    }
    if (request.ref != nil || request.tagMessage != nil) && !request.createRelease {
      context.sink.standardError(
        "warning: --ref and --tag-message are ignored without --create-release: they create the tag "
          + "of a new release.\n")
    }
    return ReleaseRequest(
      create: request.createRelease, update: request.updateRelease, name: request.releaseName,
      notes: notes, notesMode: request.notesMode ?? .replace,
      milestones: request.milestones.isEmpty ? nil : request.milestones,
      releasedAt: request.releasedAt, ref: request.ref, tagMessage: request.tagMessage)
  }

  /// `CI_SERVER_VERSION`, else what `GET /version` says (it refuses job tokens, so a job token
  /// without the variable means the current API).
  static func serverVersion(configuration: Configuration, connection: GitLabConnection)
    -> GitLabVersion?
  {
    if let version = configuration.serverVersion() { return version.value }
    guard connection.token.kind != .jobToken else { return nil }
    return (try? connection.serverVersion()) ?? nil
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
  /// - Parameter actionsKnown: whether the release's links are known, so that `create` is true.
  static func unattempted(
    _ desired: [DerivedLink], because error: any ReleaseLinkerError, actionsKnown: Bool
  ) -> PublishOutcome {
    let plan =
      actionsKnown
      ? ReleasePlan(desired: desired, existing: [], prune: false) : ReleasePlan(unread: desired)
    let kind: WriteFailureKind =
      switch error.exitStatus {
      case .noPermission: .authentication
      case .unavailable: .unavailable
      default: .rejected
      }
    let results = plan.steps.map { _ in
      StepResult(status: .failed, error: "Not attempted: \(error.message)", failureKind: kind)
    }
    return PublishOutcome(
      plan: plan, results: results, createdRelease: false, actionsKnown: actionsKnown)
  }

  /// The outcome of a run whose links were refused before the release was read: each refused link
  /// with its reason, every other one not attempted.
  static func refused(_ error: RefusedLinksError) -> PublishOutcome {
    let plan = ReleasePlan(unread: error.links)
    let results = error.links.indices.map { index in
      StepResult(
        status: .failed,
        error: error.problems[index]
          ?? "Not attempted: other links of this run were refused, so nothing was sent.",
        failureKind: .rejected)
    }
    return PublishOutcome(plan: plan, results: results, createdRelease: false, actionsKnown: false)
  }
}
