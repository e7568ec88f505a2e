/// What publishing does to one link of the release.
public struct PlannedStep: Sendable, Equatable {
  /// The action the plan takes for this link.
  public enum Action: String, Sendable, Codable, CaseIterable {
    case create
    case update
    case unchanged
    case delete
  }

  public var action: Action
  /// The link the artifacts call for; nil for a deletion.
  public var desired: DerivedLink?
  /// The link already on the release; nil for a creation.
  public var existing: ReleaseLink?
  /// Why this step cannot succeed, known before anything is sent (e.g. a value held by a link that is
  /// kept); nil when the step can run.
  public var conflict: String?

  public init(
    action: Action, desired: DerivedLink?, existing: ReleaseLink?, conflict: String? = nil
  ) {
    self.action = action
    self.desired = desired
    self.existing = existing
    self.conflict = conflict
  }

  /// The fields sent for a create or an update: all four, so an update never leaves a stale value
  /// (GitLab resets an omitted `link_type` to `other`).
  public var fields: LinkFields? {
    guard let desired else { return nil }
    return LinkFields(
      name: desired.name, url: desired.url, directAssetPath: desired.directAssetPath,
      linkType: desired.linkType)
  }

  /// True when the step sends a write request.
  public var isWrite: Bool { action != .unchanged }
}
