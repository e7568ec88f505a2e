import FoundationEssentials

/// A package of the project as `GET /projects/:id/packages` lists it (`API::Entities::Package`).
public struct GenericPackage: Sendable, Equatable, Decodable {
  public var id: Int
  public var name: String
  public var version: String?
  public var packageType: String?
  public var status: String?

  public init(id: Int, name: String, version: String?, packageType: String?, status: String?) {
    self.id = id
    self.name = name
    self.version = version
    self.packageType = packageType
    self.status = status
  }

  enum CodingKeys: String, CodingKey {
    case id, name, version, status
    case packageType = "package_type"
  }
}

/// One file of a package (`API::Entities::PackageFile`): from
/// `GET /projects/:id/packages/:package_id/package_files`, or the answer to an upload sent with
/// `select=package_file`.
public struct PackageFile: Sendable, Equatable, Decodable {
  public var id: Int
  public var packageID: Int?
  public var fileName: String
  public var size: Int64
  /// Lowercase hex; GitLab computes it from the bytes it stored. Older servers do not send it.
  public var sha256: String?

  public init(id: Int, packageID: Int?, fileName: String, size: Int64, sha256: String?) {
    self.id = id
    self.packageID = packageID
    self.fileName = fileName
    self.size = size
    self.sha256 = sha256
  }

  enum CodingKeys: String, CodingKey {
    case id, size
    case packageID = "package_id"
    case fileName = "file_name"
    case sha256 = "file_sha256"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(Int.self, forKey: .id)
    packageID = try container.decodeIfPresent(Int.self, forKey: .packageID)
    fileName = try container.decode(String.self, forKey: .fileName)
    size = try container.decode(Int64.self, forKey: .size)
    sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)?.lowercased()
  }
}

/// The generic package registry of one project: find a package, list its files, upload a file
/// (streamed), delete a file.
///
/// Routes (GitLab's `lib/api/generic_packages.rb`, `lib/api/project_packages.rb`,
/// `lib/api/package_files.rb`): `PUT /projects/:id/packages/generic/:package_name/:package_version/
/// :file_name` (`status`, `select=package_file`), `GET /projects/:id/packages` (`package_type`,
/// `package_name` — a fuzzy match —, `package_version`, `status`),
/// `GET /projects/:id/packages/:package_id/package_files` (paginated) and
/// `DELETE /projects/:id/packages/:package_id/package_files/:package_file_id` (204). The job token
/// may use all of them.
public final class GenericPackagesClient: Sendable {
  public let connection: GitLabConnection
  public let project: ProjectIdentifier
  static let maximumPages = 10_000

  public init(connection: GitLabConnection, project: ProjectIdentifier) {
    self.connection = connection
    self.project = project
  }

  var projectPath: String { "/projects/\(project.pathSegment)" }

  /// The generic package named exactly `name` at exactly `version`, or nil when there is none.
  ///
  /// `package_name` matches fuzzily, so the answer is filtered here. GitLab's listing leaves out
  /// hidden packages unless asked for `status=hidden` (`Packages::PackagesFinder#filter_by_status`:
  /// `displayable` by default), so a hidden package is looked for as well.
  public func findPackage(name: String, version: String) throws -> GenericPackage? {
    let base = [
      ("package_type", "generic"), ("package_name", name), ("package_version", version),
      ("per_page", "100"),
    ]
    for query in [base, base + [("status", "hidden")]] {
      let packages: [GenericPackage] = try listAll(projectPath + "/packages", query: query)
      if let found = packages.first(where: {
        $0.name == name && $0.version == version && ($0.packageType ?? "generic") == "generic"
      }) {
        return found
      }
    }
    return nil
  }

  /// Every file of the package, all pages, oldest first as GitLab lists them.
  public func files(ofPackage packageID: Int) throws -> [PackageFile] {
    try listAll(
      projectPath + "/packages/\(packageID)/package_files", query: [("per_page", "100")])
  }

  /// The API path of a file of the generic package `name`/`version`.
  public func uploadPath(name: String, version: String, fileName: String) -> String {
    projectPath + "/packages/generic/\(PercentEncoding.segment(name))/"
      + "\(PercentEncoding.segment(version))/\(PercentEncoding.segment(fileName))"
  }

  /// Streams `body` to the registry as `fileName` of package `name`/`version`, creating the package
  /// with `status` when it does not exist. Returns the stored file as GitLab describes it, or nil
  /// from a server that answers only `201 Created` (before `select=package_file`).
  ///
  /// Not retried after it may have reached the server: the caller lists the package's files to
  /// learn whether it landed.
  public func upload(
    name: String, version: String, fileName: String, status: String, body: UploadBody
  ) throws -> PackageFile? {
    let path = uploadPath(name: name, version: version, fileName: fileName)
    let url = connection.url(path, query: [("status", status), ("select", "package_file")])
    let request = HTTPRequest(
      method: .put, url: url,
      headers: [
        HTTPHeader("Accept", "application/json"),
        HTTPHeader("Content-Type", "application/octet-stream"),
      ], upload: body)
    let response = try connection.transport.send(
      request, credentials: connection.credentials, credentialsOrigin: URLOrigin(connection.apiURL))
    guard response.isSuccess else {
      throw GitLabAPIError(response: response, method: .put, path: path)
    }
    return try? JSONDecoder().decode(PackageFile.self, from: Data(response.body))
  }

  /// Deletes one file of a package (it goes to GitLab's pending destruction).
  public func deleteFile(packageID: Int, fileID: Int) throws {
    _ = try connection.send(.delete, projectPath + "/packages/\(packageID)/package_files/\(fileID)")
  }

  /// The web URL that downloads a package file: `<project_url>/-/package_files/<id>/download`.
  public static func downloadURL(projectURL: String, fileID: Int) -> String {
    var root = projectURL
    while root.hasSuffix("/") { root.removeLast() }
    return "\(root)/-/package_files/\(fileID)/download"
  }

  private func listAll<Element: Decodable>(_ path: String, query: [(String, String)]) throws
    -> [Element]
  {
    var elements: [Element] = []
    var url = connection.url(path, query: query)
    var visited: Set<String> = []
    for _ in 0..<Self.maximumPages {
      visited.insert(url)
      let response = try connection.send(.get, url: url, displayPath: path)
      let page: ListingPage<Element> = try listingPage(response, path: path, query: query)
      elements += page.elements
      guard let next = page.next, !visited.contains(next) else { break }
      url = next
    }
    return elements
  }

  /// One page of the listing at `path` (asked with `query`) from GitLab's 2xx answer: its
  /// elements, and the URL of the next page (`X-Next-Page`, else `Link: rel="next"`), nil on the
  /// last. An empty page is the last whatever its headers say. A body that is not a JSON array of
  /// `Element` is an ``UnexpectedResponseError``.
  public func listingPage<Element: Decodable>(
    _ response: HTTPResponse, path: String, query: [(String, String)]
  ) throws(UnexpectedResponseError) -> ListingPage<Element> {
    let elements: [Element]
    do {
      elements = try JSONDecoder().decode([Element].self, from: Data(response.body))
    } catch {
      throw UnexpectedResponseError(path: path, status: response.status, body: response.text)
    }
    guard !elements.isEmpty, let next = NextPage(headers: response.headers) else {
      return ListingPage(elements: elements, next: nil)
    }
    switch next {
    case .number(let number):
      return ListingPage(
        elements: elements,
        next: connection.url(
          path, query: query.filter { $0.0 != "page" } + [("page", String(number))]))
    case .url(let target):
      return ListingPage(elements: elements, next: target)
    }
  }
}

/// A page of a package listing: its elements and where the next page is (nil on the last).
public struct ListingPage<Element: Decodable> {
  public var elements: [Element]
  public var next: String?
}

extension GitLabAPIError {
  /// The group forbids a second file of the same name in a package version
  /// (`400 Duplicate package is not allowed`, `lib/api/generic_packages.rb`).
  public var isDuplicatePackageRefusal: Bool {
    status == 400 && gitLabMessage.lowercased().contains("duplicate package is not allowed")
  }

  /// The file is larger than the instance's `generic_packages_max_file_size` (`400 File is too
  /// large`).
  public var isFileTooLargeRefusal: Bool {
    status == 400 && gitLabMessage.lowercased().contains("file is too large")
  }
}
