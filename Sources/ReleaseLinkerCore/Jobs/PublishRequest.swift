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
