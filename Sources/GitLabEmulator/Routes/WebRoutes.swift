/// The web URLs a release's links point at, downloaded as a person with a browser would:
/// `<project>/-/jobs/:id/artifacts/raw/<path>`, `<project>/-/jobs/artifacts/<ref>/raw/<path>?job=`
/// and `<project>/-/releases/<tag>/downloads/<path>` (config/routes/project.rb;
/// Projects::ArtifactsController#file and #latest_succeeded, Projects::ReleasesController#downloads).
enum WebRoutes {
  /// The file at the path inside the job's artifacts archive; 404 page when it is not there.
  /// Reading a job's artifacts takes `read_build`: reporters and above in a private project.
  static func jobArtifactFile(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let project = try WebAccess.project(context, state: state, minimum: .reporter)
    guard let job = Int(context.path["job_id"]) else { throw Refusal(.pageNotFound) }
    let path = context.path["artifact_path"]
    let source = state.artifacts[JobKey(projectID: project.id, jobID: job)]
    guard ArtifactEntries.isValidPath(path),
      case .found(let body) = ArtifactEntries.find(path, in: source)
    else { throw Refusal(.pageNotFound) }
    return entryResponse(path, body: body)
  }

  /// `latest_succeeded` redirects to the raw URL of the newest successful job of that name on that
  /// ref (`artifacts_action_path`), or renders the 404 page.
  static func latestArtifactFile(_ context: RequestContext, _ state: EmulatorState)
    throws(Refusal) -> EmulatorResponse
  {
    let project = try WebAccess.project(context, state: state, minimum: .reporter)
    guard let name = context.parameters.string("job"),
      let job = state.latestSuccessfulJob(
        projectID: project.id, name: name, ref: context.path["ref"]),
      state.artifacts[JobKey(projectID: project.id, jobID: job.id)] != nil
    else { throw Refusal(.pageNotFound) }
    let path = context.path.segments("artifact_path").map(PercentDecoding.escapeSegment)
    let location =
      context.origin(fallbackBaseURL: state.baseURL)
      + "/\(project.path)/-/jobs/\(job.id)/artifacts/raw/\(path.joined(separator: "/"))"
    return .redirect(location)
  }

  /// The release's permanent link for a `direct_asset_path` redirects to the link's URL.
  static func releaseDownload(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let project = try WebAccess.project(context, state: state)
    guard let release = state.releases[ReleaseKey(projectID: project.id, tag: context.path["tag"])],
      let link = release.links.first(where: {
        $0.directAssetPath == "/" + context.path["direct_asset_path"]
      })
    else { throw Refusal(.pageNotFound) }
    return .redirect(link.url)
  }

  /// `<project>/-/package_files/:id/download` (Projects::Packages::PackageFilesController
  /// #download, the URL `Packages::PackageFile#download_path` gives): the file, or the 404 page.
  static func packageFile(_ context: RequestContext, _ state: inout EmulatorState)
    throws(Refusal) -> EmulatorResponse
  {
    let project = try WebAccess.project(context, state: state, minimum: .reporter)
    guard let id = Int(context.path["package_file_id"]),
      let (package, file) = state.packages.file(id: id, projectID: project.id)
    else { throw Refusal(.pageNotFound) }
    state.packages.touchDownloaded(package: package.id)
    return GenericPackageRoutes.fileResponse(file, checksum: false)
  }

  /// Workhorse sends an archive's entry with a type from its extension, as an attachment.
  static func entryResponse(_ path: String, body: EmulatorResponse.Body) -> EmulatorResponse {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let quoted = name.split(separator: "\"", omittingEmptySubsequences: false)
      .joined(separator: "\\\"")
    return EmulatorResponse(
      status: 200,
      headers: [
        ("Content-Type", MediaTypes.forFile(named: name)),
        ("Content-Disposition", "attachment; filename=\"\(quoted)\""),
      ], body: body)
  }
}
