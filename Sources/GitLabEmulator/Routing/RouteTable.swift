/// One endpoint: a method, a path pattern and the function that answers it.
struct Route: Sendable {
  typealias Reader =
    @Sendable (RequestContext, EmulatorState) throws(Refusal) -> EmulatorResponse
  typealias Writer =
    @Sendable (RequestContext, inout EmulatorState) throws(Refusal) -> EmulatorResponse

  enum Handler: Sendable {
    case reads(Reader)
    case writes(Writer)
    /// The body is a file streamed to disk; see `UploadHandler`.
    case uploads(UploadHandler)
  }

  /// GitLab's routes are counted, logged, delayed and open to scripted faults; the emulator's own
  /// (`/-/emulator/…`) are none of these.
  enum Audience: Sendable {
    case gitlab
    case control
  }

  var method: String
  var pattern: RoutePattern
  var audience: Audience = .gitlab
  var handler: Handler

  static func get(_ pattern: String, _ reader: @escaping Reader) -> Route {
    Route(method: "GET", pattern: RoutePattern(pattern), handler: .reads(reader))
  }

  static func post(_ pattern: String, _ writer: @escaping Writer) -> Route {
    Route(method: "POST", pattern: RoutePattern(pattern), handler: .writes(writer))
  }

  static func put(_ pattern: String, _ writer: @escaping Writer) -> Route {
    Route(method: "PUT", pattern: RoutePattern(pattern), handler: .writes(writer))
  }

  /// A `GET` whose answer changes what the emulator holds (a download's `last_downloaded_at`).
  static func getRecording(_ pattern: String, _ writer: @escaping Writer) -> Route {
    Route(method: "GET", pattern: RoutePattern(pattern), handler: .writes(writer))
  }

  static func upload(_ pattern: String, _ handler: UploadHandler) -> Route {
    Route(method: "PUT", pattern: RoutePattern(pattern), handler: .uploads(handler))
  }

  static func delete(_ pattern: String, _ writer: @escaping Writer) -> Route {
    Route(method: "DELETE", pattern: RoutePattern(pattern), handler: .writes(writer))
  }

  /// The same route for the emulator's own use.
  var control: Route {
    var route = self
    route.audience = .control
    return route
  }
}

/// Every route the emulator answers, in one place: a request takes the first entry whose method
/// and pattern match; anything else is Grape's `404 Not Found`.
enum RouteTable {
  static let projects = "/api/v4/projects/:id"
  static let links = projects + "/releases/:tag_name/assets/links"
  /// A project's web pages: its full path, then `-`.
  static let web = "/*project/-"
  static let genericPackage =
    projects + "/packages/generic/:package_name/:package_version/:file_name"

  static let routes: [Route] = [
    .get(projects, ProjectRoutes.show),
    .get(projects + "/releases", ReleaseRoutes.list),
    .post(projects + "/releases", ReleaseRoutes.create),
    .get(projects + "/releases/:tag_name", ReleaseRoutes.show),
    .put(projects + "/releases/:tag_name", ReleaseUpdateRoutes.update),
    .get(links, LinkRoutes.list),
    .post(links, LinkRoutes.create),
    .get(links + "/:link_id", LinkRoutes.show),
    .put(links + "/:link_id", LinkRoutes.update),
    .delete(links + "/:link_id", LinkRoutes.delete),
    .get(projects + "/releases/:tag_name/downloads/*direct_asset_path", ReleaseRoutes.download),
    .get(projects + "/jobs/artifacts/:ref_name/raw/*artifact_path", ArtifactRoutes.latestFile),
    .get(projects + "/jobs/:job_id/artifacts", ArtifactRoutes.download),
    .get(projects + "/jobs/:job_id/artifacts/*artifact_path", ArtifactRoutes.file),
    .getRecording(genericPackage, GenericPackageRoutes.download),
    .upload(genericPackage, GenericPackageRoutes.upload),
    .get(projects + "/packages", PackageRoutes.list),
    .get(projects + "/packages/:package_id/package_files", PackageRoutes.files),
    .delete(
      projects + "/packages/:package_id/package_files/:package_file_id", PackageRoutes.deleteFile),
    .get("/object-storage/:name", ArtifactRoutes.storageObject),
    .get("/api/v4/version", MetadataRoutes.show),
    .get("/api/v4/metadata", MetadataRoutes.show),
    .get(web + "/jobs/:job_id/artifacts/raw/*artifact_path", WebRoutes.jobArtifactFile),
    .get(web + "/jobs/artifacts/:ref/raw/*artifact_path", WebRoutes.latestArtifactFile),
    .get(web + "/releases/:tag/downloads/*direct_asset_path", WebRoutes.releaseDownload),
    .getRecording(web + "/package_files/:package_file_id/download", WebRoutes.packageFile),
    .get("/-/emulator/stats", ControlRoutes.stats).control,
    .delete("/-/emulator/stats", ControlRoutes.resetStats).control,
    .delete("/-/emulator/random-faults", ControlRoutes.stopRandomFaults).control,
    .get("/-/emulator/links/:id/:tag_name", ControlRoutes.links).control,
    .get("/-/emulator/packages/:id", ControlRoutes.packageFiles).control,
  ]

  /// `HEAD` takes the `GET` route, as in Rails and Grape.
  static func find(method: String, rawPath: String) -> (Route, PathParameters)? {
    let wanted = method == "HEAD" ? "GET" : method
    for route in routes where route.method == wanted {
      if let parameters = route.pattern.match(rawPath: rawPath) { return (route, parameters) }
    }
    return nil
  }

  /// Whether the path belongs to the emulator's own routes, whatever the method.
  static func isControl(rawPath: String) -> Bool {
    routes.contains { $0.audience == .control && $0.pattern.match(rawPath: rawPath) != nil }
  }
}
