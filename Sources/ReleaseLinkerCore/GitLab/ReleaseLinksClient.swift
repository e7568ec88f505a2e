import FoundationEssentials

/// A decoded API answer together with the API's own JSON text, for `--output json`.
public struct APIDocument<Value: Sendable>: Sendable {
  public var value: Value
  /// The JSON exactly as GitLab sent it; for lists, one array holding every page's elements.
  public var json: String

  public init(value: Value, json: String) {
    self.value = value
    self.json = json
  }
}

/// The name a link's path is sent under.
public enum LinkPathParameter: String, Sendable {
  /// GitLab 15.9 and later.
  case directAssetPath = "direct_asset_path"
  /// Before 15.9 the only name; later servers still take it (deprecated).
  case filepath

  /// What a server of `version` understands; the current name when the version is not known.
  public static func forServer(_ version: GitLabVersion?) -> LinkPathParameter {
    guard let version, !version.acceptsDirectAssetPath else { return .directAssetPath }
    return .filepath
  }
}

/// The Release Links API of one release: list, get, create, update and delete its links; and the
/// release itself.
public final class ReleaseLinksClient: Sendable {
  public let connection: GitLabConnection
  public let project: ProjectIdentifier
  public let tag: String
  /// The parameter a link's `direct_asset_path` is sent as, for the server's version.
  public let pathParameter: LinkPathParameter
  /// The most pages a list follows; a server sending more is looping.
  static let maximumPages = 10_000

  public init(
    connection: GitLabConnection, project: ProjectIdentifier, tag: String,
    pathParameter: LinkPathParameter = .directAssetPath
  ) {
    self.connection = connection
    self.project = project
    self.tag = tag
    self.pathParameter = pathParameter
  }

  /// `/projects/:id/releases/:tag_name`, each one path segment.
  public var releasePath: String {
    "/projects/\(project.pathSegment)/releases/\(PercentEncoding.segment(tag))"
  }

  /// `/projects/:id/releases/:tag_name/assets/links`.
  public var linksPath: String { releasePath + "/assets/links" }

  // MARK: The five calls

  /// Every link of the release: all pages, `per_page=100`.
  public func list() throws -> [ReleaseLink] { try listDocument().value }

  public func get(id: Int) throws -> ReleaseLink { try getDocument(id: id).value }

  public func create(_ fields: LinkFields) throws -> ReleaseLink {
    try createDocument(fields).value
  }

  public func update(id: Int, _ fields: LinkFields) throws -> ReleaseLink {
    try updateDocument(id: id, fields).value
  }

  public func delete(id: Int) throws -> ReleaseLink { try deleteDocument(id: id).value }

  // MARK: The same calls, keeping GitLab's JSON

  /// Every link of the release, and one JSON array aggregating all pages.
  public func listDocument() throws -> APIDocument<[ReleaseLink]> {
    var links: [ReleaseLink] = []
    var elements: [String] = []
    var url = connection.url(linksPath, query: [("per_page", "100")])
    var visited: Set<String> = []
    for _ in 0..<Self.maximumPages {
      visited.insert(url)
      let response = try connection.send(.get, url: url, displayPath: linksPath)
      let page = try decode([ReleaseLink].self, from: response, path: linksPath)
      links += page
      let inner = Self.arrayContents(response.text)
      if !inner.isEmpty { elements.append(inner) }
      guard !page.isEmpty, let next = NextPage(headers: response.headers) else { break }
      switch next {
      case .number(let number):
        url = connection.url(linksPath, query: [("per_page", "100"), ("page", String(number))])
      case .url(let target):
        url = target
      }
      if visited.contains(url) { break }
    }
    return APIDocument(value: links, json: "[" + elements.joined(separator: ",") + "]")
  }

  public func getDocument(id: Int) throws -> APIDocument<ReleaseLink> {
    let path = linkPath(id)
    return try document(connection.send(.get, path), path: path)
  }

  public func createDocument(_ fields: LinkFields) throws -> APIDocument<ReleaseLink> {
    try document(
      connection.send(.post, linksPath, body: Self.body(fields, pathParameter: pathParameter)),
      path: linksPath)
  }

  public func updateDocument(id: Int, _ fields: LinkFields) throws -> APIDocument<ReleaseLink> {
    let path = linkPath(id)
    return try document(
      connection.send(.put, path, body: Self.body(fields, pathParameter: pathParameter)),
      path: path)
  }

  public func deleteDocument(id: Int) throws -> APIDocument<ReleaseLink> {
    let path = linkPath(id)
    return try document(connection.send(.delete, path), path: path)
  }

  /// GET `/projects/:id/releases/:tag_name`: the release as GitLab's JSON, or throws (404 when
  /// missing). An answer that is not a release (a sign-in page a wrong API root redirects to) is an
  /// ``UnexpectedResponseError``.
  public func releaseDocument() throws -> String {
    struct Release: Decodable {
      var tagName: String
      enum CodingKeys: String, CodingKey { case tagName = "tag_name" }
    }
    let response = try connection.send(.get, releasePath)
    _ = try decode(Release.self, from: response, path: releasePath)
    return response.text
  }

  /// The release, or nil when it does not exist. A missing project, or a server that knows no such
  /// route (not GitLab's API root), is an error, not nil.
  public func release() throws -> ReleaseSnapshot? {
    let response: HTTPResponse
    do {
      response = try connection.send(.get, releasePath)
    } catch let error as GitLabAPIError
      where error.status == 404 && !error.isProjectNotFound && !error.isUnknownRoute
    {
      return nil
    }
    return try decode(ReleaseSnapshot.self, from: response, path: releasePath)
  }

  /// Every link, or nil when the release does not exist. A missing project, or a server that knows
  /// no such route, is an error, not nil.
  public func existingLinks() throws -> [ReleaseLink]? {
    guard try release() != nil else { return nil }
    return try list()
  }

  /// `POST /projects/:id/releases`, carrying `links` as `assets[links]` (at most
  /// ``ReleaseDraft/maximumLinksPerRequest``). An existing release (409) is ``ReleaseCreation/alreadyExists``.
  public func createRelease(_ draft: ReleaseDraft, links: [LinkFields] = []) throws
    -> ReleaseCreation
  {
    let body = try Self.encode(
      ReleaseCreateBody(draft: draft, links: links, pathParameter: pathParameter))
    let path = "/projects/\(project.pathSegment)/releases"
    let response: HTTPResponse
    do {
      response = try connection.send(.post, path, body: body)
    } catch let error as GitLabAPIError where error.status == 409 {
      return .alreadyExists
    }
    return .created(try decode(ReleaseSnapshot.self, from: response, path: path))
  }

  /// `PUT /projects/:id/releases/:tag_name` with the fields that change.
  public func updateRelease(_ changes: ReleaseChanges) throws -> ReleaseSnapshot {
    struct Body: Encodable {
      var name: String?
      var description: String?
      var milestones: [String]?
      var releasedAt: String?

      enum CodingKeys: String, CodingKey {
        case name, description, milestones
        case releasedAt = "released_at"
      }
    }
    let body = try Self.encode(
      Body(
        name: changes.name, description: changes.description, milestones: changes.milestones,
        releasedAt: changes.releasedAt))
    let response = try connection.send(.put, releasePath, body: body)
    return try decode(ReleaseSnapshot.self, from: response, path: releasePath)
  }

  /// The caller's role in the project as `GET /projects/:id` states it (`permissions`: the higher
  /// of `project_access` and `group_access`, 10 guest … 50 owner), or nil when GitLab does not say.
  public func projectAccessLevel() throws -> Int? {
    struct Access: Decodable {
      var accessLevel: Int?
      enum CodingKeys: String, CodingKey { case accessLevel = "access_level" }
    }
    struct Permissions: Decodable {
      var projectAccess: Access?
      var groupAccess: Access?
      enum CodingKeys: String, CodingKey {
        case projectAccess = "project_access"
        case groupAccess = "group_access"
      }
    }
    struct Project: Decodable { var permissions: Permissions? }
    let path = "/projects/\(project.pathSegment)"
    let decoded = try decode(Project.self, from: connection.send(.get, path), path: path)
    let levels = [
      decoded.permissions?.projectAccess?.accessLevel,
      decoded.permissions?.groupAccess?.accessLevel,
    ].compactMap { $0 }
    return levels.max()
  }

  // MARK: Encoding and decoding

  private func linkPath(_ id: Int) -> String { linksPath + "/\(id)" }

  /// A link's fields as GitLab's parameters, the path under the name the server understands.
  struct LinkBody: Encodable {
    var fields: LinkFields
    var pathParameter: LinkPathParameter

    private struct Key: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(_ name: String) { stringValue = name }
      init?(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encodeIfPresent(fields.name, forKey: Key("name"))
      try container.encodeIfPresent(fields.url, forKey: Key("url"))
      try container.encodeIfPresent(fields.directAssetPath, forKey: Key(pathParameter.rawValue))
      try container.encodeIfPresent(fields.linkType?.rawValue, forKey: Key("link_type"))
    }
  }

  private struct ReleaseCreateBody: Encodable {
    var draft: ReleaseDraft
    var links: [LinkFields]
    var pathParameter: LinkPathParameter

    struct Assets: Encodable { var links: [LinkBody] }

    enum CodingKeys: String, CodingKey {
      case name, description, ref, milestones, assets
      case tagName = "tag_name"
      case tagMessage = "tag_message"
      case releasedAt = "released_at"
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(draft.tag, forKey: .tagName)
      try container.encode(draft.name, forKey: .name)
      try container.encode(draft.description, forKey: .description)
      try container.encodeIfPresent(draft.ref, forKey: .ref)
      try container.encodeIfPresent(draft.tagMessage, forKey: .tagMessage)
      try container.encodeIfPresent(draft.milestones, forKey: .milestones)
      try container.encodeIfPresent(draft.releasedAt, forKey: .releasedAt)
      if !links.isEmpty {
        try container.encode(
          Assets(links: links.map { LinkBody(fields: $0, pathParameter: pathParameter) }),
          forKey: .assets)
      }
    }
  }

  static func body(_ fields: LinkFields, pathParameter: LinkPathParameter = .directAssetPath)
    throws -> [UInt8]
  {
    try encode(LinkBody(fields: fields, pathParameter: pathParameter))
  }

  private static func encode(_ value: some Encodable) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value))
  }

  private func document(_ response: HTTPResponse, path: String) throws -> APIDocument<ReleaseLink> {
    APIDocument(
      value: try decode(ReleaseLink.self, from: response, path: path), json: response.text)
  }

  private func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, path: String)
    throws
    -> T
  {
    do {
      let decoder = JSONDecoder()
      // Each link's direct_asset_path is read back from its URL, which holds this release's tag.
      decoder.userInfo[ReleaseLink.tagUserInfoKey] = tag
      return try decoder.decode(type, from: Data(response.body))
    } catch {
      throw UnexpectedResponseError(path: path, status: response.status, body: response.text)
    }
  }

  /// The elements of a JSON array's text, without the brackets ("" for an empty array).
  static func arrayContents(_ json: String) -> String {
    var text = Substring(json)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    guard text.hasPrefix("["), text.hasSuffix("]") else { return "" }
    text = text.dropFirst().dropLast()
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }
}

/// GitLab answered with success but the body is not what the API documents (exit 69).
public struct UnexpectedResponseError: ReleaseLinkerError, WriteFailureClassifying {
  public var path: String
  public var status: Int
  public var body: String

  public var exitStatus: ExitStatus { .unavailable }
  /// The server said it succeeded, so a write did happen; its result must be re-read.
  public var writeFailureKind: WriteFailureKind { .ambiguous }
  public var message: String {
    "GitLab's answer (\(status)) to \(path) is not the JSON the API documents: "
      + "\(GitLabAPIError.plainText(body).prefix(120)). Is --api-url pointing at GitLab's /api/v4?"
  }
}
