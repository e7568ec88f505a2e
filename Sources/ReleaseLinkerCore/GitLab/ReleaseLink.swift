/// A release link as GitLab returns it: `{"id", "name", "url", "direct_asset_url", "link_type"}`.
///
/// Unknown keys (such as `external`, removed in GitLab 16.0) are ignored.
public struct ReleaseLink: Sendable, Equatable, Codable {
  public var id: Int
  public var name: String
  public var url: String
  public var directAssetURL: String
  public var linkType: LinkType

  public init(id: Int, name: String, url: String, directAssetURL: String, linkType: LinkType) {
    self.id = id
    self.name = name
    self.url = url
    self.directAssetURL = directAssetURL
    self.linkType = linkType
  }

  enum CodingKeys: String, CodingKey {
    case id, name, url
    case directAssetURL = "direct_asset_url"
    case linkType = "link_type"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(Int.self, forKey: .id)
    name = try container.decode(String.self, forKey: .name)
    url = try container.decode(String.self, forKey: .url)
    // Servers before 15.9 may omit it; GitLab then treats the link as having no path.
    directAssetURL = try container.decodeIfPresent(String.self, forKey: .directAssetURL) ?? url
    let type = try container.decodeIfPresent(String.self, forKey: .linkType) ?? "other"
    linkType = LinkType(rawValue: type) ?? .other
  }

  /// The `direct_asset_path` GitLab stored for this link, recovered from `direct_asset_url`
  /// (`…/-/releases/<tag>/downloads/<path>`), or nil when the link has none.
  public var directAssetPath: String? {
    guard directAssetURL != url, let range = directAssetURL.firstRange(of: "/downloads/") else {
      return nil
    }
    return "/" + directAssetURL[range.upperBound...]
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
