import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The links a build job derived, written by `scan --manifest FILE` and read by
/// `publish --manifest GLOB` in the release job (docs/manifests.md).
///
/// A release built by several jobs links each file to the job that built it. Each build job knows
/// its own job id and files; the release job knows neither, but reads every manifest, checks them
/// together and reconciles the release once. A manifest names its project and tag, so a release job
/// never publishes another project's or another tag's links by mistake.
public struct LinkManifest: Sendable, Equatable {
  /// The value of the document's `release_linker_manifest` key this release-linker writes and reads.
  /// A change that a reader must understand raises it; keys added within a version are ignored by
  /// readers that do not know them.
  public static let version = 1

  /// The project the links point into.
  public var project: ProjectIdentity
  /// The release tag the links were derived for.
  public var tag: String
  /// The job that wrote the manifest (`CI_JOB_ID`, `CI_JOB_NAME`), where known.
  public var jobID: String?
  public var jobName: String?
  /// The links, in the order the build job derived them.
  public var links: [DerivedLink]

  public init(
    project: ProjectIdentity, tag: String, jobID: String?, jobName: String?, links: [DerivedLink]
  ) {
    self.project = project
    self.tag = tag
    self.jobID = jobID
    self.jobName = jobName
    self.links = links
  }

  /// The manifest of `links` for the configured project and tag. Each link's source job is the
  /// asset's own (an `--artifacts-job`), else the job the default URLs point at, where one is set.
  /// Throws ``UsageError`` when the project or the tag is not set: a manifest without them could be
  /// published into any release.
  public static func of(_ links: [DerivedLink], configuration: Configuration) throws(UsageError)
    -> LinkManifest
  {
    let project: ProjectIdentity
    let tag: String
    do {
      project = try ProjectIdentity(configuration: configuration)
      tag = try configuration.tag().value
    } catch let error as UsageError {
      throw UsageError(
        error.message + " A manifest names its project and tag, so that a release job refuses "
          + "another project's or tag's links.")
    } catch {
      throw UsageError("\(error)")
    }
    let defaultJob = try? configuration.jobID().value
    let stamped = links.map { link in
      var link = link
      link.asset.jobID = link.asset.jobID ?? defaultJob
      return link
    }
    return LinkManifest(
      project: project, tag: tag, jobID: defaultJob, jobName: try? configuration.jobName().value,
      links: stamped)
  }

  // MARK: - Writing

  /// The document, pretty-printed, ending with a newline.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(Document(self))
    data.append(UInt8(ascii: "\n"))
    return data
  }

  /// Writes the manifest to `file` (relative to `currentDirectory`), creating missing folders. The
  /// file is written aside and renamed into place, so a reader never sees half a manifest. A file
  /// that cannot be written is a usage error (64), like `--report`.
  public func write(to file: String, currentDirectory: String) throws(UsageError) {
    let path = file.hasPrefix("/") ? file : currentDirectory + "/" + file
    do {
      let url = URL(filePath: path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try jsonData().write(to: url, options: .atomic)
    } catch {
      throw UsageError(
        "Cannot write the manifest '\(file)' given with --manifest: check that its folder can be "
          + "created and written.")
    }
  }

  // MARK: - Reading

  /// Reads and checks the manifest at `path`; `name` is how messages call it. Every problem is a
  /// ``DataError`` (65) naming the file: it is not JSON, not a manifest, of another version, for
  /// another project or tag than `expected`, or an entry is not a link GitLab would take.
  public static func read(
    _ path: String, named name: String, expecting expected: (project: ProjectIdentity, tag: String)
  ) throws(DataError) -> LinkManifest {
    let data = try readFile(path, named: name)
    let manifest = try decode(data, named: name)
    try manifest.check(named: name, expected: expected)
    return manifest
  }

  /// The file's bytes; an unreadable file is a ``DataError`` with the system's reason.
  private static func readFile(_ path: String, named name: String) throws(DataError) -> Data {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw DataError("Cannot read the manifest '\(name)': \(String(cString: strerror(errno))).")
    }
    defer { close(descriptor) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = buffer.withUnsafeMutableBytes { readBytes(descriptor, $0) }
      if count == 0 { return data }
      if count < 0 {
        if errno == EINTR { continue }
        throw DataError(
          "Cannot read the manifest '\(name)': \(String(cString: strerror(errno))).")
      }
      data.append(contentsOf: buffer[0..<count])
    }
  }

  /// Decodes a manifest document; `name` is how messages call it.
  static func decode(_ data: Data, named name: String) throws(DataError) -> LinkManifest {
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: data)
    } catch {
      throw DataError(
        "The manifest '\(name)' is not a JSON object: \(describe(error)). Manifests are written by "
          + "`release-linker scan --manifest FILE`; check that the file is one and is complete.")
    }
    guard let version = header.version else {
      throw DataError(
        "The file '\(name)' is not a release-linker manifest: it has no "
          + "\"release_linker_manifest\" key. Manifests are written by "
          + "`release-linker scan --manifest FILE`.")
    }
    guard version == Self.version else {
      throw DataError(
        "The manifest '\(name)' has version \(version), and this release-linker "
          + "(\(ReleaseLinkerVersion.current)) reads version \(Self.version). Use the same "
          + "release-linker version in the build jobs and the release job.")
    }
    let document: Document
    do {
      document = try JSONDecoder().decode(Document.self, from: data)
    } catch {
      throw DataError("The manifest '\(name)' is malformed: \(describe(error)).")
    }
    return document.manifest(named: name)
  }

  private func check(
    named name: String, expected: (project: ProjectIdentity, tag: String)
  ) throws(DataError) {
    switch project.isSame(as: expected.project) {
    case true?: break
    case false?:
      throw DataError(
        "The manifest '\(name)' lists links of project \(project), and this run publishes to "
          + "project \(expected.project). Pass only this project's manifests to --manifest.")
    case nil:
      throw DataError(
        "The manifest '\(name)' was written for project \(project), which cannot be compared with "
          + "project \(expected.project) of this run (one is known by id, the other by path). Give "
          + "--project the same way in the build and release jobs, or leave it to CI_PROJECT_ID.")
    }
    guard tag == expected.tag else {
      throw DataError(
        "The manifest '\(name)' lists links for tag '\(tag)', and this run publishes the release "
          + "of tag '\(expected.tag)'. A manifest of another pipeline was passed: check the globs "
          + "given to --manifest and the build jobs under needs:.")
    }
    var problems: [String] = []
    for (index, link) in links.enumerated() {
      let entry = "links[\(index)]"
      if link.name.allSatisfy(\.isWhitespace) { problems.append("\(entry) has a blank name") }
      if link.url.isEmpty { problems.append("\(entry) has an empty url") }
      if let path = link.directAssetPath, !DirectAssetPath.isValid(path) {
        problems.append("\(entry) has a direct_asset_path GitLab refuses: '\(path)'")
      }
      if link.asset.artifactPath.isEmpty { problems.append("\(entry) has an empty artifact_path") }
      if link.asset.size < 0 { problems.append("\(entry) has a negative size") }
      if let sha256 = link.asset.sha256, !Self.isSHA256(sha256) {
        problems.append("\(entry) has a sha256 that is not 64 lowercase hex digits")
      }
      if let job = link.asset.jobID, job.isEmpty || !job.utf8.allSatisfy({ (48...57).contains($0) })
      {
        problems.append("\(entry) has a job_id that is not a job's number: '\(job)'")
      }
      if problems.count >= 10 { break }
    }
    guard problems.isEmpty else {
      throw DataError(
        "The manifest '\(name)' is malformed: " + problems.joined(separator: "; ") + ".")
    }
  }

  private static func isSHA256(_ text: String) -> Bool {
    text.utf8.count == 64
      && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }

  /// The decoder's complaint as a sentence naming the key, e.g. `links[2].url is missing`.
  static func describe(_ error: any Error) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      var text = ""
      for key in keys {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += (text.isEmpty ? "" : ".") + key.stringValue
        }
      }
      return text.isEmpty ? "the document" : text
    }
    switch error as? DecodingError {
    case .keyNotFound(let key, let context)?:
      return "\(path(context.codingPath + [key])) is missing"
    case .valueNotFound(_, let context)?:
      return "\(path(context.codingPath)) is null"
    case .typeMismatch(let type, let context)?:
      return "\(path(context.codingPath)) is not \(describe(type))"
    case .dataCorrupted(let context)?:
      if context.codingPath.isEmpty {
        return "it is not valid JSON"
          + ((context.underlyingError.map { " (\($0))" }) ?? "")
      }
      return "\(path(context.codingPath)): \(context.debugDescription)"
    default:
      return "\(error)"
    }
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int.Type, is Int64.Type: "a whole number"
    case is [Any].Type: "an array"
    default: "of the expected kind (\(type))"
    }
  }
}

/// Which project links belong to, as far as the settings say: its numeric id, its full path, or
/// both (CI jobs know both, through `CI_PROJECT_ID` and `CI_PROJECT_PATH`), and its web URL.
public struct ProjectIdentity: Sendable, Equatable, CustomStringConvertible {
  public var id: String?
  public var path: String?
  public var url: String?

  public init(id: String?, path: String?, url: String?) {
    self.id = id
    self.path = path
    self.url = url
  }

  /// The configured project (`--project`, else `CI_PROJECT_ID`, else `CI_PROJECT_PATH`). When it
  /// came from the CI variables, both of them are taken: they name the same project. A `--project`
  /// names only itself, since it may be another project than the one the job runs in.
  public init(configuration: Configuration) throws {
    let project = try configuration.project()
    var id: String?
    var path: String?
    if project.value.isNumeric {
      id = project.value.rawValue
    } else {
      path = project.value.rawValue
    }
    if case .environment = project.source {
      id = id ?? configuration.environment["CI_PROJECT_ID"]
      path = path ?? configuration.environment["CI_PROJECT_PATH"]
    }
    self.init(id: id, path: path, url: try? configuration.projectURL().value)
  }

  /// True or false when the two can be compared (both ids known, else both paths; GitLab's paths
  /// are case-insensitive), nil when one is known only by id and the other only by path.
  public func isSame(as other: ProjectIdentity) -> Bool? {
    if let id, let otherID = other.id { return id == otherID }
    if let path, let otherPath = other.path { return path.lowercased() == otherPath.lowercased() }
    return nil
  }

  public var description: String {
    switch (id, path) {
    case (let id?, let path?): "\(id) ('\(path)')"
    case (let id?, nil): id
    case (nil, let path?): "'\(path)'"
    case (nil, nil): "(unknown)"
    }
  }
}

/// `read(2)` into `buffer`, named apart from ``LinkManifest/read(_:named:expecting:)``.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
  read(descriptor, buffer.baseAddress, buffer.count)
}

// MARK: - The document

/// Only the version key, read first so that a manifest of another version is named as such rather
/// than as malformed.
private struct Header: Decodable {
  var version: Int?

  enum CodingKeys: String, CodingKey {
    case version = "release_linker_manifest"
  }
}

/// The JSON document, key for key (docs/manifests.md).
private struct Document: Codable {
  var version: Int
  var generator: String?
  var project: Project
  var tag: String
  var job: Job?
  var links: [Entry]

  enum CodingKeys: String, CodingKey {
    case version = "release_linker_manifest"
    case generator, project, tag, job, links
  }

  struct Project: Codable {
    var id: String?
    var path: String?
    var url: String?

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(id, forKey: .id)
      try container.encode(path, forKey: .path)
      try container.encode(url, forKey: .url)
    }
  }

  struct Job: Codable {
    var id: String?
    var name: String?

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(id, forKey: .id)
      try container.encode(name, forKey: .name)
    }
  }

  struct Entry: Codable {
    var name: String
    var url: String
    var directAssetPath: String?
    var linkType: LinkType
    var artifactPath: String
    var size: Int64
    var sha256: String?
    var jobID: String?

    enum CodingKeys: String, CodingKey {
      case name, url
      case directAssetPath = "direct_asset_path"
      case linkType = "link_type"
      case artifactPath = "artifact_path"
      case size, sha256
      case jobID = "job_id"
    }

    // By hand: the synthesized encoding leaves nil values out, and every key of a manifest entry
    // is always written (`null` when it has no value), as docs/manifests.md shows.
    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(name, forKey: .name)
      try container.encode(url, forKey: .url)
      try container.encode(directAssetPath, forKey: .directAssetPath)
      try container.encode(linkType, forKey: .linkType)
      try container.encode(artifactPath, forKey: .artifactPath)
      try container.encode(size, forKey: .size)
      try container.encode(sha256, forKey: .sha256)
      try container.encode(jobID, forKey: .jobID)
    }
  }

  init(_ manifest: LinkManifest) {
    version = LinkManifest.version
    generator = "release-linker \(ReleaseLinkerVersion.current)"
    project = Project(
      id: manifest.project.id, path: manifest.project.path, url: manifest.project.url)
    tag = manifest.tag
    job = Job(id: manifest.jobID, name: manifest.jobName)
    links = manifest.links.map { link in
      Entry(
        name: link.name, url: link.url, directAssetPath: link.directAssetPath,
        linkType: link.linkType, artifactPath: link.asset.artifactPath, size: link.asset.size,
        sha256: link.asset.sha256, jobID: link.asset.jobID)
    }
  }

  // By hand for the same reason: every key is written, whatever its value.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(version, forKey: .version)
    try container.encode(generator, forKey: .generator)
    try container.encode(project, forKey: .project)
    try container.encode(tag, forKey: .tag)
    try container.encode(job, forKey: .job)
    try container.encode(links, forKey: .links)
  }

  func manifest(named name: String) -> LinkManifest {
    LinkManifest(
      project: ProjectIdentity(id: project.id, path: project.path, url: project.url), tag: tag,
      jobID: job?.id, jobName: job?.name,
      links: links.map { entry in
        DerivedLink(
          asset: Asset(
            artifactPath: entry.artifactPath, size: entry.size, sha256: entry.sha256,
            jobID: entry.jobID, manifest: name),
          name: entry.name, url: entry.url, directAssetPath: entry.directAssetPath,
          linkType: entry.linkType)
      })
  }
}
