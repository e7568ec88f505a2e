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

/// The Release Links API of one release: list, get, create, update and delete its links.
public final class ReleaseLinksClient: Sendable {
  public let connection: GitLabConnection
  public let project: ProjectIdentifier
  public let tag: String
  /// The most pages a list follows; a server sending more is looping.
  static let maximumPages = 10_000

  public init(connection: GitLabConnection, project: ProjectIdentifier, tag: String) {
    self.connection = connection
    self.project = project
    self.tag = tag
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
    try document(connection.send(.post, linksPath, body: Self.body(fields)), path: linksPath)
  }

  public func updateDocument(id: Int, _ fields: LinkFields) throws -> APIDocument<ReleaseLink> {
    let path = linkPath(id)
    return try document(connection.send(.put, path, body: Self.body(fields)), path: path)
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

  /// Every link, or nil when the release does not exist. A missing project, or a server that knows
  /// no such route (not GitLab's API root), is an error, not nil.
  public func existingLinks() throws -> [ReleaseLink]? {
    do {
      _ = try connection.send(.get, releasePath)
    } catch let error as GitLabAPIError
      where error.status == 404 && !error.isProjectNotFound && !error.isUnknownRoute
    {
      return nil
    }
    return try list()
  }

  /// POST `/projects/:id/releases`; an existing release (409) is fine.
  public func createRelease(_ draft: ReleaseDraft) throws {
    struct Body: Encodable {
      var tagName: String
      var name: String
      var description: String

      enum CodingKeys: String, CodingKey {
        case tagName = "tag_name"
        case name, description
      }
    }
    let body = try Self.encode(
      Body(tagName: draft.tag, name: draft.name, description: draft.description))
    let path = "/projects/\(project.pathSegment)/releases"
    do {
      _ = try connection.send(.post, path, body: body)
    } catch let error as GitLabAPIError where error.status == 409 {
      return
    }
  }

  // MARK: Encoding and decoding

  private func linkPath(_ id: Int) -> String { linksPath + "/\(id)" }

  private struct LinkBody: Encodable {
    var name: String?
    var url: String?
    var directAssetPath: String?
    var linkType: String?

    enum CodingKeys: String, CodingKey {
      case name, url
      case directAssetPath = "direct_asset_path"
      case linkType = "link_type"
    }
  }

  static func body(_ fields: LinkFields) throws -> [UInt8] {
    try encode(
      LinkBody(
        name: fields.name, url: fields.url, directAssetPath: fields.directAssetPath,
        linkType: fields.linkType?.rawValue))
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
