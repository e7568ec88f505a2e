/// A release link as GitLab returns it: `{"id", "name", "url", "direct_asset_url", "link_type"}`.
///
/// Unknown keys (such as `external`, removed in GitLab 16.0) are ignored.
public struct ReleaseLink: Sendable, Equatable, Codable {
  public var id: Int
  public var name: String
  public var url: String
  public var directAssetURL: String
  public var linkType: LinkType
  /// The `direct_asset_path` GitLab stored for this link, recovered from `direct_asset_url`, or
  /// nil when the link has none. GitLab's entity does not carry the path itself.
  public var directAssetPath: String?

  /// - Parameter tag: the release's tag, so that exactly `…/-/releases/<tag>/downloads` is taken
  ///   off the URL; without it, the first `/downloads/` after `/-/releases/` ends the prefix.
  public init(
    id: Int, name: String, url: String, directAssetURL: String, linkType: LinkType,
    tag: String? = nil
  ) {
    self.id = id
    self.name = name
    self.url = url
    self.directAssetURL = directAssetURL
    self.linkType = linkType
    self.directAssetPath = Self.path(fromDirectAssetURL: directAssetURL, url: url, tag: tag)
  }

  enum CodingKeys: String, CodingKey {
    case id, name, url
    case directAssetURL = "direct_asset_url"
    case linkType = "link_type"
  }

  /// The key of a decoder's `userInfo` that holds the release's tag (a `String`).
  public static let tagUserInfoKey = CodingUserInfoKey(rawValue: "release-linker.tag")!

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(Int.self, forKey: .id)
    name = try container.decode(String.self, forKey: .name)
    url = try container.decode(String.self, forKey: .url)
    // Servers before 15.9 may omit it; GitLab then treats the link as having no path.
    directAssetURL = try container.decodeIfPresent(String.self, forKey: .directAssetURL) ?? url
    let type = try container.decodeIfPresent(String.self, forKey: .linkType) ?? "other"
    linkType = LinkType(rawValue: type) ?? .other
    directAssetPath = Self.path(
      fromDirectAssetURL: directAssetURL, url: url,
      tag: decoder.userInfo[Self.tagUserInfoKey] as? String)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(name, forKey: .name)
    try container.encode(url, forKey: .url)
    try container.encode(directAssetURL, forKey: .directAssetURL)
    try container.encode(linkType.rawValue, forKey: .linkType)
  }

  /// The path of `<project_url>/-/releases/<tag>/downloads/<path>`, with its leading `/`.
  ///
  /// GitLab builds the URL from the project's web URL, the tag as one path segment and the stored
  /// path (`Releases::LinkPresenter#direct_asset_url`, `ReleasePresenter#download_url`). A
  /// namespace or project path never has a segment `-` (`Gitlab::PathRegex`: paths start with a
  /// letter, digit, `_` or `.`), so the first `/-/releases/` is where the project URL ends, however
  /// many `downloads` the project's path holds (`downloads/hello`, `acme/downloads`). The tag then
  /// comes as GitLab escapes it, or exactly as given.
  static func path(fromDirectAssetURL directAssetURL: String, url: String, tag: String?)
    -> String?
  {
    guard directAssetURL != url, let releases = directAssetURL.firstRange(of: "/-/releases/")
    else { return nil }
    let rest = directAssetURL[releases.upperBound...]
    if let tag {
      for form in [PercentEncoding.railsSegment(tag), PercentEncoding.segment(tag), tag] {
        let prefix = form + "/downloads/"
        if rest.hasPrefix(prefix) { return "/" + rest.dropFirst(prefix.count) }
      }
    }
    guard let downloads = rest.firstRange(of: "/downloads/") else { return nil }
    return "/" + rest[downloads.upperBound...]
  }
}

/// The fields a link is created or updated with.
public struct LinkFields: Sendable, Equatable {
  public var name: String?
  public var url: String?
  public var directAssetPath: String?
  public var linkType: LinkType?

  public init(
    name: String? = nil, url: String? = nil, directAssetPath: String? = nil,
    linkType: LinkType? = nil
  ) {
    self.name = name
    self.url = url
    self.directAssetPath = directAssetPath
    self.linkType = linkType
  }
}
