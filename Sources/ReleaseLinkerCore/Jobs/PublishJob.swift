import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

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
    let stop = RunStop(
      request: request, reports: reports, context: context,
      project: (try? configuration.project())?.value.rawValue,
      tag: (try? configuration.tag())?.value)
    let run: PreparedRun
    do {
      run = try prepare(request, configuration: configuration, context: context)
    } catch let error as RefusedLinksError {
      try stop(.refused(error), error)
    } catch let error as any ReleaseLinkerError {
      try stop(.unattempted([], because: error, actionsKnown: false), error)
    }

    let human = humanOutput(json: request.json, sink: context.sink)
    let section = CollapsibleSection(
      name: "release_linker",
      header: "release-linker: \(request.dryRun ? "planning" : "publishing") "
        + "\(run.desired.count) link\(run.desired.count == 1 ? "" : "s") for "
        + TerminalText.escaped(run.tag))
    let inCI = context.environment.isGitLabCI
    if inCI { human(section.start(at: now())) }
    defer { if inCI { human(section.end(at: now())) } }

    let client = ReleaseLinksClient(
      connection: run.connection, project: run.projectID, tag: run.tag,
      pathParameter: .forServer(
        serverVersion(configuration: configuration, connection: run.connection)))
    var uploads = run.phase.map {
      UploadRun(
        phase: $0,
        registry: GenericPackagesClient(connection: run.connection, project: run.projectID),
        concurrency: run.options.concurrency, dryRun: request.dryRun, context: context)
    }
    var desired = run.desired
    var outcome: PublishOutcome
    do {
      if uploads != nil { desired = try uploads?.upload(existingLinks: client.existingLinks) ?? [] }
      outcome = try Publisher.publish(
        desired, to: client, project: run.projectID.rawValue, tag: run.tag, options: run.options)
    } catch let error as any ReleaseLinkerError {
      // The release could not be read or created: nothing was written, and every link says why.
      // A missing release holds no link, so each would have been created; any other failure
      // leaves unknown what the release holds.
      try stop(
        .unattempted(desired, because: error, actionsKnown: error is ReleaseMissingError), error)
    }
    var results = RunResults()
    if var upload = uploads, let projectURL = run.phase?.projectURL {
      upload.finish(&outcome)
      if let done = upload.outcome {
        results.add(done, projectURL: projectURL, request: request, context: context)
      }
    }
    results.statuses.append(outcome.exitStatus)
    if request.verify && !request.dryRun {
      do {
        results.add(
          VerifyJob.check(
            try client.list(), connection: run.connection, concurrency: run.options.concurrency),
          tag: run.tag, context: context)
      } catch let error as any ReleaseLinkerError {
        try stop(outcome, error)
      }
    }
    try report(outcome, results, run: run, stop: stop, human: human)
    return ExitStatus.worst(results.statuses)
  }

  /// Everything a run needs before it reads the release: settings checked, the links derived
  /// (artifacts downloaded, manifests read), the uploads planned, the checksums file written.
  private struct PreparedRun {
    let projectID: ProjectIdentifier
    let tag: String
    let connection: GitLabConnection
    let options: PublishOptions
    let desired: [DerivedLink]
    let phase: UploadPhase?
  }

  private static func prepare(
    _ request: PublishRequest, configuration: Configuration, context: Context
  ) throws -> PreparedRun {
    let projectID = try configuration.project().value
    let tag = try configuration.tag().value
    let concurrency = try configuration.concurrency().value
    let releaseRequest = try Self.releaseRequest(request, context: context)
    let pruneScope =
      request.prune
      ? try PruneScope(
        patterns: request.pruneScope, pruneForeign: request.pruneForeign,
        configuration: configuration) : .everything
    let connection = try context.connection(configuration)
    let deadline = try context.deadline(configuration)
    let checksums = try request.checksumsFile.map { try ChecksumsOutput($0, context: context) }
    var assets = request.upload == nil ? request.assets : UploadPhase.assetOptions(request.assets)
    // The release job is never the one that built the artifacts: its CI_JOB_NAME is no
    // `--ref-urls` job name.
    assets.derivation.jobNameFlagRequired = true
    var desired = try AssetPipeline.derive(
      assets, configuration: configuration, context: context.escapingWarnings,
      downloadArtifacts: { jobID, descriptor in
        try connection.downloadJobArtifacts(
          project: projectID, jobID: jobID, toFileDescriptor: descriptor)
      })
    try LinksHoldingSecrets.refuse(desired, connection: connection)
    let phase = try request.upload.map { upload in
      try UploadPhase.prepare(
        desired, request: upload, checksums: checksums, derivation: assets.derivation,
        configuration: configuration, context: context)
    }
    if phase == nil, let checksums {
      desired = checksums.excludingItself(desired)
      try checksums.write(checksums.entries(of: desired))
    }
    let options = PublishOptions(
      prune: request.prune, pruneScope: pruneScope, order: request.order, dryRun: request.dryRun,
      release: releaseRequest, concurrency: concurrency, deadline: deadline)
    return PreparedRun(
      projectID: projectID, tag: tag, connection: connection, options: options, desired: desired,
      phase: phase)
  }

  /// What the uploads and `--verify` add to the run's output and reports, and their statuses.
  private struct RunResults {
    var sections: [RunReport.Section] = []
    var statuses: [ExitStatus] = []
    var texts: [String] = []

    mutating func add(
      _ uploads: PackageUploadOutcome, projectURL: String, request: PublishRequest, context: Context
    ) {
      let style = TerminalStyle(
        environment: context.environment, isTerminal: context.sink.isTerminal)
      texts.append(
        UploadTextReport(
          outcome: uploads, dryRun: request.dryRun, style: style, quiet: request.quiet
        )
        .text)
      sections.append(RunReport.uploadsSection(uploads, projectURL: projectURL))
      statuses.append(uploads.exitStatus)
    }

    mutating func add(_ checks: [LinkCheck], tag: String, context: Context) {
      let style = TerminalStyle(
        environment: context.environment, isTerminal: context.sink.isTerminal)
      let verified = VerifyReport(checks: checks, tag: tag, style: style)
      sections.append(RunReport.Section(key: "verify", json: verified.json))
      statuses.append(verified.failed > 0 ? .failures : .success)
      verifyText = verified.text
    }

    /// Shown after the links' report.
    var verifyText: String?
  }

  /// The text (or JSON) of the run, then the report files.
  private static func report(
    _ outcome: PublishOutcome, _ results: RunResults, run: PreparedRun, stop: RunStop,
    human: (String) -> Void
  ) throws {
    let request = stop.request
    let context = stop.context
    for text in results.texts { human(text) }
    let style = TerminalStyle(environment: context.environment, isTerminal: context.sink.isTerminal)
    let text = PublishTextReport(
      outcome: outcome, tag: run.tag, dryRun: request.dryRun, style: style, quiet: request.quiet)
    if request.json {
      var document = RunReport(
        outcome: outcome, project: stop.project, tag: run.tag, dryRun: request.dryRun)
      document.sections = results.sections
      document.writeJSON { context.sink.standardOutput($0) }
      human(
        (text.releaseLine.map { $0 + "\n" } ?? "") + text.summary + "\n"
          + (text.keptNote.map { $0 + "\n" } ?? ""))
    } else {
      human(text.text)
    }
    if let verifyText = results.verifyText { human(verifyText) }
    try stop.reports.write(
      outcome, project: stop.project, tag: run.tag, dryRun: request.dryRun,
      sections: results.sections)
  }

  /// Ends a run that cannot go on: the JSON document (with `-o json`) and the report files say
  /// what became of each link, then the error is thrown.
  private struct RunStop {
    let request: PublishRequest
    let reports: ReportFiles
    let context: Context
    let project: String?
    let tag: String?

    func callAsFunction(_ outcome: PublishOutcome, _ error: any ReleaseLinkerError) throws -> Never
    {
      if request.json {
        RunReport(
          outcome: outcome, project: project, tag: tag, dryRun: request.dryRun,
          error: error.message
        ).writeJSON { context.sink.standardOutput($0) }
      }
      try reports.write(
        outcome, project: project, tag: tag, dryRun: request.dryRun, error: error.message)
      throw error
    }
  }

  /// Human text goes to standard output, or to standard error when standard output holds JSON.
  private static func humanOutput(json: Bool, sink: any OutputSink) -> (String) -> Void {
    { text in json ? sink.standardError(text) : sink.standardOutput(text) }
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
