/// What the job asks of the release itself: create it when missing, keep its fields in step.
public struct ReleaseRequest: Sendable, Equatable {
  /// Create the release when the tag has none (`--create-release`).
  public var create: Bool
  /// Keep an existing release's fields in step (`--update-release`).
  public var update: Bool
  /// `--release-name`; the tag names a created release when nil.
  public var name: String?
  /// The text of `--release-notes FILE`.
  public var notes: String?
  /// `--notes-mode`.
  public var notesMode: NotesMode
  /// `--milestone` titles; nil leaves milestones alone.
  public var milestones: [String]?
  /// `--released-at`, ISO 8601.
  public var releasedAt: String?
  /// `--ref`: where a missing tag is created from.
  public var ref: String?
  /// `--tag-message`: the message of a tag created from `ref`.
  public var tagMessage: String?

  public init(
    create: Bool = false, update: Bool = false, name: String? = nil, notes: String? = nil,
    notesMode: NotesMode = .replace, milestones: [String]? = nil, releasedAt: String? = nil,
    ref: String? = nil, tagMessage: String? = nil
  ) {
    self.create = create
    self.update = update
    self.name = name
    self.notes = notes
    self.notesMode = notesMode
    self.milestones = milestones.map(Self.unique)
    self.releasedAt = releasedAt
    self.ref = ref
    self.tagMessage = tagMessage
  }

  /// The release to create for `tag`.
  public func draft(tag: String) -> ReleaseDraft {
    ReleaseDraft(
      tag: tag, name: name ?? tag,
      description: ReleaseNotes.description(current: nil, notes: notes ?? "", mode: notesMode),
      ref: ref, tagMessage: tagMessage, milestones: milestones, releasedAt: releasedAt)
  }

  /// The fields of `current` that differ from what the job asks; empty when they all match. Only
  /// what the job names is compared: without `--milestone`, milestones are left as they are.
  public func changes(from current: ReleaseSnapshot) -> ReleaseChanges {
    var changes = ReleaseChanges()
    if let name, name != current.name { changes.name = name }
    if let notes, notesMode != .keep {
      let wanted = ReleaseNotes.description(
        current: current.description, notes: notes, mode: notesMode)
      if wanted != current.description { changes.description = wanted }
    }
    if let milestones, Set(milestones) != Set(current.milestones ?? []) {
      changes.milestones = milestones
    }
    if let releasedAt, !Self.sameInstant(releasedAt, current.releasedAt) {
      changes.releasedAt = releasedAt
    }
    return changes
  }

  /// Two ISO 8601 spellings of one instant (`…T08:00:00Z` and `…T09:00:00.000+01:00`) are equal.
  static func sameInstant(_ wanted: String, _ current: String?) -> Bool {
    guard let current else { return false }
    guard let left = ISO8601Time.secondsSince1970(wanted),
      let right = ISO8601Time.secondsSince1970(current)
    else { return wanted == current }
    return abs(left - right) < 0.001
  }

  private static func unique(_ titles: [String]) -> [String] {
    var seen = Set<String>()
    return titles.filter { seen.insert($0).inserted }
  }
}

/// What happened to the release itself in a run.
public struct ReleaseResult: Sendable, Equatable {
  public enum Action: String, Sendable {
    case create
    case update
    case unchanged
  }

  public var action: Action
  public var status: StepResult.Status
  /// For an update, GitLab's names of the fields changed (or to change).
  public var fields: [String]
  /// For a create, how many links the create request carried.
  public var linksCarried: Int
  /// Something the reader should know beside the action, e.g. that another job created it first.
  public var note: String?
  public var error: String?
  public var failureKind: WriteFailureKind?

  public init(
    action: Action, status: StepResult.Status, fields: [String] = [], linksCarried: Int = 0,
    note: String? = nil, error: String? = nil, failureKind: WriteFailureKind? = nil
  ) {
    self.action = action
    self.status = status
    self.fields = fields
    self.linksCarried = linksCarried
    self.note = note
    self.error = error
    self.failureKind = failureKind
  }
}
