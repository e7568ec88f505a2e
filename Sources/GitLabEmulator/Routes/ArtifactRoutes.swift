#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `GET /projects/:id/jobs/:job_id/artifacts`: the job's archive, from memory or streamed from disk.
enum ArtifactRoutes {
  static func download(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let job = Int(context.path["job_id"])
    try context.requireValid(job == nil ? ["job_id is invalid"] : [])
    let (project, _) = try Router.access(
      project: context.path["id"], context: context, state: state)
    guard let job, let source = state.artifacts[JobKey(projectID: project.id, jobID: job)]
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
      return EmulatorResponse(
        status: 200, headers: headers, body: .file(path: path, offset: 0, length: size))
    case .redirect(let location):
      return EmulatorResponse(
        status: 302,
        headers: [("Location", location), ("Content-Type", "text/html; charset=utf-8")],
        body: .bytes(Array("<html><body>You are being redirected.</body></html>".utf8)))
    }
  }

  /// `GET /projects/:id/jobs/:job_id/artifacts/*artifact_path`: one file of the job's archive
  /// (lib/api/ci/job_artifacts.rb; job token allowed).
  static func file(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let job = Int(context.path["job_id"])
    try context.requireValid(job == nil ? ["job_id is invalid"] : [])
    let (project, _) = try Router.access(
      project: context.path["id"], context: context, state: state)
    guard let job else { throw Refusal(.notFound) }
    return try entry(context, in: state.artifacts[JobKey(projectID: project.id, jobID: job)])
  }

  /// `GET /projects/:id/jobs/artifacts/:ref_name/raw/*artifact_path?job=NAME`: the same file of
  /// the newest successful job of that name on that ref (`latest_successful_build_for_ref!`).
  static func latestFile(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    try context.requireValid(context.parameters.has("job") ? [] : ["job is missing"])
    let (project, _) = try Router.access(
      project: context.path["id"], context: context, state: state)
    guard
      let job = state.latestSuccessfulJob(
        projectID: project.id, name: context.parameters.string("job") ?? "",
        ref: context.path["ref_name"])
    else { throw Refusal(.notFound) }
    return try entry(context, in: state.artifacts[JobKey(projectID: project.id, jobID: job.id)])
  }

  /// `not_found!` without an archive, `bad_request!` for a path GitLab refuses; the entry itself is
  /// looked up by Workhorse, whose answer for a missing one is a bare 404 (unconfirmed).
  private static func entry(_ context: RequestContext, in source: ArtifactSource?)
    throws(Refusal) -> EmulatorResponse
  {
    let path = context.path["artifact_path"]
    switch ArtifactEntries.find(path, in: source) {
    case .noArchive:
      throw Refusal(.message(404, "404 Not Found"))
    case _ where !ArtifactEntries.isValidPath(path):
      throw Refusal(.message(400, "400 Bad request"))
    case .missing:
      throw Refusal(
        EmulatorResponse(
          status: 404, headers: [("Content-Type", "text/plain; charset=utf-8")],
          body: .bytes(Array("404 page not found\n".utf8))))
    case .found(let body):
      return WebRoutes.entryResponse(path, body: body)
    }
  }

  /// `GET /object-storage/NAME`: a pre-signed bucket URL needs no credentials.
  static func storageObject(_ context: RequestContext, _ state: EmulatorState) -> EmulatorResponse {
    guard let bytes = state.storageObjects[context.path["name"]] else {
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
