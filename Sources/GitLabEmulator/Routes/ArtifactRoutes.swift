#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `GET /projects/:id/jobs/:job_id/artifacts`: the job's archive, from memory or streamed from disk.
enum ArtifactRoutes {
  static func download(
    project identifier: String, jobID: String, context: RequestContext, state: EmulatorState
  ) throws(Refusal) -> EmulatorResponse {
    let job = Int(jobID)
    try context.requireValid(job == nil ? ["job_id is invalid"] : [])
    let (project, _) = try Router.access(project: identifier, context: context, state: state)
    guard let job, let source = state.artifacts[ArtifactKey(projectID: project.id, jobID: job)]
    else { throw Refusal(.notFound) }
    let headers = [
      ("Content-Type", "application/octet-stream"),
      ("Content-Disposition", "attachment; filename=\"artifacts.zip\""),
    ]
    switch source {
    case .bytes(let bytes):
      return EmulatorResponse(status: 200, headers: headers, body: .bytes(bytes))
    case .file(let path):
      guard let size = fileSize(path) else { throw Refusal(.notFound) }
      return EmulatorResponse(status: 200, headers: headers, body: .file(path: path, size: size))
    case .redirect(let location):
      return EmulatorResponse(
        status: 302,
        headers: [("Location", location), ("Content-Type", "text/html; charset=utf-8")],
        body: .bytes(Array("<html><body>You are being redirected.</body></html>".utf8)))
    }
  }

  /// `GET /object-storage/NAME`: a pre-signed bucket URL needs no credentials.
  static func storageObject(name: String, state: EmulatorState) -> EmulatorResponse {
    guard let bytes = state.storageObjects[name] else {
      return EmulatorResponse(
        status: 404, headers: [("Content-Type", "application/xml")],
        body: .bytes(Array("<Error><Code>NoSuchKey</Code></Error>".utf8)))
    }
    return EmulatorResponse(
      status: 200, headers: [("Content-Type", "application/octet-stream")], body: .bytes(bytes))
  }

  static func fileSize(_ path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
  }
}

/// `PUT`/`GET /projects/:id/packages/generic/:package_name/:package_version/:file_name`.
enum PackageRoutes {
  struct Target {
    var project: String
    var name: String
    var version: String
    var file: String
  }

  static func upload(_ target: Target, context: RequestContext, state: inout EmulatorState)
    throws(Refusal) -> EmulatorResponse
  {
    try context.requireValid(parameterErrors(target))
    let (project, role) = try Router.access(
      project: target.project, context: context, state: state)
    try Router.requireWrite(role)
    state.packageFiles[key(target, project: project)] = context.request.body
    return .message(201, "201 Created")
  }

  static func download(_ target: Target, context: RequestContext, state: EmulatorState)
    throws(Refusal) -> EmulatorResponse
  {
    try context.requireValid(parameterErrors(target))
    let (project, _) = try Router.access(project: target.project, context: context, state: state)
    guard let bytes = state.packageFiles[key(target, project: project)] else {
      throw Refusal(.notFound)
    }
    return EmulatorResponse(
      status: 200, headers: [("Content-Type", "application/octet-stream")], body: .bytes(bytes))
  }

  private static func key(_ target: Target, project: ProjectRecord) -> PackageFileKey {
    PackageFileKey(
      projectID: project.id, name: target.name, version: target.version, file: target.file)
  }

  /// Generic package names, versions and file names: letters, digits and `._-+` (`~` too in file
  /// names), never empty.
  private static func parameterErrors(_ target: Target) -> [String] {
    func valid(_ text: String, extra: Set<Unicode.Scalar>) -> Bool {
      !text.isEmpty
        && text.unicodeScalars.allSatisfy {
          ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
            || $0 == "." || $0 == "_" || $0 == "-" || $0 == "+" || extra.contains($0)
        }
    }
    var errors: [String] = []
    if !valid(target.name, extra: []) { errors.append("package_name is invalid") }
    if !valid(target.version, extra: []) { errors.append("package_version is invalid") }
    if !valid(target.file, extra: ["~"]) { errors.append("file_name is invalid") }
    return errors
  }
}

/// The emulator's own routes for out-of-process users: counters and the links a release holds.
enum ControlRoutes {
  static func handle(_ route: Route, method: String, state: inout EmulatorState)
    -> EmulatorResponse
  {
    switch route {
    case .emulatorStats:
      if method == "DELETE" { state.stats = EmulatorStats() }
      return .json(
        200,
        .object([
          ("requests", .int(state.stats.requests)),
          ("writes", .int(state.stats.writes)),
          ("connections", .int(state.stats.connections)),
        ]))
    case .emulatorLinks(let identifier, let tag):
      guard let project = state.project(matching: identifier),
        let release = state.releases[ReleaseKey(projectID: project.id, tag: tag)]
      else { return .notFound }
      let links = release.links.map { link -> JSONValue in
        guard
          case .object(var members) = LinkEntity.render(
            link, project: project, tag: tag, webURL: state.webURL)
        else { return .null }
        members.append(("direct_asset_path", .optionalString(link.directAssetPath)))
        return .object(members)
      }
      return .json(200, .array(links))
    default:
      return .routeNotFound
    }
  }
}
