/// The release `--create-release` creates when it is missing (`POST /projects/:id/releases`).
public struct ReleaseDraft: Sendable, Equatable {
  public var tag: String
  public var name: String
  public var description: String
  /// The commit, branch or tag to create the tag from when it does not exist yet.
  public var ref: String?
  /// The message of that new (annotated) tag.
  public var tagMessage: String?
  /// Milestone titles; nil sends none.
  public var milestones: [String]?
  /// ISO 8601; nil lets GitLab use the current time.
  public var releasedAt: String?

  public init(
    tag: String, name: String, description: String, ref: String? = nil, tagMessage: String? = nil,
    milestones: [String]? = nil, releasedAt: String? = nil
  ) {
    self.tag = tag
    self.name = name
    self.description = description
    self.ref = ref
    self.tagMessage = tagMessage
    self.milestones = milestones
    self.releasedAt = releasedAt
  }

  /// The most links one create request carries in `assets[links]`; the rest go through the links API.
  ///
  /// GitLab sets no count of its own: `lib/api/releases.rb` declares `assets[links]` as a plain
  /// array, `Releases::CreateService#links_attributes` passes every entry on, and `Release` validates
  /// them only for duplicates (`nested_attributes_duplicates` on name, url and filepath). What bounds
  /// one request is elsewhere: GitLab's JSON validation middleware
  /// (`lib/gitlab/middleware/json_validation.rb`, `Gitlab::Json::StreamValidator`) refuses a body
  /// with more than 50,000 entries in one array or 100,000 elements in all (each link costs 9: four
  /// keys, four values and its place in the array, so about 11,000 links) with a 400; Rack caps a
  /// form body at 4,096 parameters, which is why the body is JSON; and the whole release, links
  /// included, is saved in one transaction that must finish within Puma's 60-second worker timeout.
  /// A thousand links (about 250 KB) stays far inside all three.
  public static let maximumLinksPerRequest = 1_000
}

/// A release as `GET /projects/:id/releases/:tag_name` returns it: the fields `--update-release`
/// keeps in step, and the links GitLab embeds (`assets.links`).
public struct ReleaseSnapshot: Sendable, Equatable, Decodable {
  public var name: String
  public var tagName: String
  public var description: String
  /// As GitLab sent it, e.g. `2019-03-15T08:00:00.000Z`.
  public var releasedAt: String?
  /// Milestone titles; nil when GitLab did not say (it leaves the key out for a release without
  /// milestones, and for a caller who may not read them).
  public var milestones: [String]?
  public var links: [ReleaseLink]

  public init(
    name: String, tagName: String, description: String, releasedAt: String? = nil,
    milestones: [String]? = nil, links: [ReleaseLink] = []
  ) {
    self.name = name
    self.tagName = tagName
    self.description = description
    self.releasedAt = releasedAt
    self.milestones = milestones
    self.links = links
  }

  private enum CodingKeys: String, CodingKey {
    case name, description, milestones, assets
    case tagName = "tag_name"
    case releasedAt = "released_at"
  }

  private struct Milestone: Decodable { var title: String }
  private struct Assets: Decodable { var links: [ReleaseLink]? }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    tagName = try container.decodeIfPresent(String.self, forKey: .tagName) ?? ""
    // GitLab shows the tag for a release without a name, and null for an empty description.
    name = try container.decodeIfPresent(String.self, forKey: .name) ?? tagName
    description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
    releasedAt = try container.decodeIfPresent(String.self, forKey: .releasedAt)
    milestones = try container.decodeIfPresent([Milestone].self, forKey: .milestones)?.map(\.title)
    links = try container.decodeIfPresent(Assets.self, forKey: .assets)?.links ?? []
  }
}

/// What `PUT /projects/:id/releases/:tag_name` changes; nil fields are not sent.
public struct ReleaseChanges: Sendable, Equatable {
  public var name: String?
  public var description: String?
  public var milestones: [String]?
  public var releasedAt: String?

  public init(
    name: String? = nil, description: String? = nil, milestones: [String]? = nil,
    releasedAt: String? = nil
  ) {
    self.name = name
    self.description = description
    self.milestones = milestones
    self.releasedAt = releasedAt
  }

  /// True when there is nothing to send.
  public var isEmpty: Bool {
    name == nil && description == nil && milestones == nil && releasedAt == nil
  }

  /// GitLab's names of the fields that change, in a fixed order.
  public var fieldNames: [String] {
    [
      name.map { _ in "name" }, description.map { _ in "description" },
      milestones.map { _ in "milestones" }, releasedAt.map { _ in "released_at" },
    ].compactMap { $0 }
  }
}

/// How a create request ended.
public enum ReleaseCreation: Sendable, Equatable {
  /// GitLab created the release (and the links the request carried) and returned it.
  case created(ReleaseSnapshot)
  /// The release exists already (409, e.g. a concurrent job): the request changed nothing.
  case alreadyExists
}
