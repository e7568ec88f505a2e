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
  /// The most links one listing may hold: far more than any release has, few enough to plan in
  /// memory. A listing past it fails (69) instead of growing without end.
  public static let maximumLinks = 100_000
  /// The most bytes the pages of one listing may add up to (each answer is also capped, at 64 MiB).
  public static let maximumListingBytes = 128 << 20
  /// The most pages one listing follows: ``maximumLinks`` at GitLab's 100 links a page.
  public static let maximumPages = maximumLinks / 100

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
  ///
  /// The listing must end within ``maximumPages`` pages, ``maximumLinks`` links and
  /// ``maximumListingBytes`` bytes, never visit a page twice, and stay on this release's links:
  /// a `Link: rel="next"` elsewhere is followed only as its page number on the API's own URL. A
  /// listing that does not end so throws ``ListingError`` rather than pass for complete.
  public func listDocument() throws -> APIDocument<[ReleaseLink]> {
    var links: [ReleaseLink] = []
    var elements: [String] = []
    let firstPage = connection.url(linksPath, query: [("per_page", "100")])
    var url = firstPage
    var visited: Set<String> = []
    var bytes = 0
    for page in 1...Self.maximumPages {
      visited.insert(url)
      let response = try connection.send(.get, url: url, displayPath: linksPath)
      bytes += response.body.count
      guard bytes <= Self.maximumListingBytes else {
        throw ListingError(path: linksPath, page: page, problem: .tooManyBytes)
      }
      let items = try decode([ReleaseLink].self, from: response, path: linksPath)
      links += items
      guard links.count <= Self.maximumLinks else {
        throw ListingError(path: linksPath, page: page, problem: .tooManyLinks)
      }
      let inner = Self.arrayContents(response.text)
      if !inner.isEmpty { elements.append(inner) }
      guard !items.isEmpty, let next = NextPage(headers: response.headers) else {
        return APIDocument(value: links, json: "[" + elements.joined(separator: ",") + "]")
      }
      url = try nextURL(next, page: page)
      if visited.contains(url) {
        throw ListingError(path: linksPath, page: page, problem: .loops)
      }
    }
    throw ListingError(path: linksPath, page: Self.maximumPages, problem: .tooManyPages)
  }

  /// Where the page after `page` is: GitLab's page number on our own URL, or a `Link` target that
  /// is this very listing on the API's origin.
  private func nextURL(_ next: NextPage, page: Int) throws -> String {
    switch next {
    case .number(let number):
      return connection.url(linksPath, query: [("per_page", "100"), ("page", String(number))])
    case .url(let target):
      let own = connection.url(linksPath, query: [])
      let targetPath = target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
      if URLOrigin(target) == URLOrigin(connection.apiURL), targetPath == own {
        return target
      }
      if let number = NextPage.pageNumber(inURL: target) {
        return connection.url(linksPath, query: [("per_page", "100"), ("page", String(number))])
      }
      throw ListingError(path: linksPath, page: page, problem: .leadsElsewhere)
    }
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

/// A link listing that does not end as GitLab's do (exit 69): too large, looping, or pointing
/// away from the release. It is never taken for the release's complete list of links.
public struct ListingError: ReleaseLinkerError, WriteFailureClassifying, Equatable {
  public enum Problem: Sendable, Equatable {
    case tooManyLinks, tooManyBytes, tooManyPages, loops, leadsElsewhere
  }

  public var path: String
  /// The last page read.
  public var page: Int
  public var problem: Problem

  public var exitStatus: ExitStatus { .unavailable }
  public var writeFailureKind: WriteFailureKind { .unavailable }
  public var message: String {
    let what: String
    switch problem {
    case .tooManyLinks:
      what =
        "holds more than \(ReleaseLinksClient.maximumLinks) links by page \(page), the most "
        + "release-linker reads"
    case .tooManyBytes:
      what =
        "adds up to more than \(ReleaseLinksClient.maximumListingBytes >> 20) MiB by page "
        + "\(page), the most release-linker reads"
    case .tooManyPages:
      what = "still had a next page after \(page) pages, the most release-linker follows"
    case .loops:
      what = "pointed back at a page it had already sent, after page \(page)"
    case .leadsElsewhere:
      what =
        "pointed its next page (after page \(page)) away from this release's links, to another "
        + "host or path, without a page number to ask for instead"
    }
    return "GitLab's listing of \(path) \(what). The listing was stopped and not taken as "
      + "complete, so nothing was planned from it: the server, or a proxy in front of it, "
      + "misbehaves."
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
