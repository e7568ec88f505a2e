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

  public init(
    assets: AssetOptions, prune: Bool = false, dryRun: Bool = false, createRelease: Bool = false,
    updateRelease: Bool = false, releaseName: String? = nil, releaseNotesFile: String? = nil,
    notesMode: NotesMode? = nil, milestones: [String] = [], releasedAt: String? = nil,
    ref: String? = nil, tagMessage: String? = nil, reportFile: String? = nil,
    dotenvFile: String? = nil, json: Bool = false
  ) {
    self.assets = assets
    self.prune = prune
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
    let releaseRequest = try releaseRequest(request, context: context)
    // A report that cannot be written is a usage error: say so before anything is sent.
    try checkFolder(of: request.reportFile, flag: "--report", context: context)
    try checkFolder(of: request.dotenvFile, flag: "--dotenv", context: context)
    let connection = try GitLabConnection.make(configuration: configuration, context: context)
    let desired = try AssetPipeline.derive(
      request.assets, configuration: configuration, context: context,
      downloadArtifacts: { jobID, path in
        try connection.downloadJobArtifacts(project: project, jobID: jobID, to: path)
      })
    guard !desired.isEmpty else {
      throw DataError(
        "No assets to link: the paths and archives given hold no regular file that passes "
          + "--include/--exclude. Check the paths, or the job's `artifacts:paths`.")
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

    let client = ReleaseLinksClient(
      connection: connection, project: project, tag: tag,
      pathParameter: .forServer(serverVersion(configuration: configuration, connection: connection))
    )
    let options = PublishOptions(
      prune: request.prune, dryRun: request.dryRun, release: releaseRequest,
      concurrency: concurrency)
    let outcome: PublishOutcome
    do {
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

    let report = RunReport(
      outcome: outcome, project: project.rawValue, tag: tag, dryRun: request.dryRun)
    if request.json {
      report.writeJSON { sink.standardOutput($0) }
      let text = PublishTextReport(
        outcome: outcome, tag: tag, dryRun: request.dryRun, style: style)
      human((text.releaseLine.map { $0 + "\n" } ?? "") + text.summary + "\n")
    } else {
      human(
        PublishTextReport(outcome: outcome, tag: tag, dryRun: request.dryRun, style: style).text)
    }
    try writeReports(
      outcome, request: request, project: project.rawValue, tag: tag, context: context)
    return outcome.exitStatus
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

  private static func writeReports(
    _ outcome: PublishOutcome, request: PublishRequest, project: String, tag: String,
    context: Context
  ) throws {
    if let file = request.reportFile {
      let report = RunReport(outcome: outcome, project: project, tag: tag, dryRun: request.dryRun)
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
