/// One endpoint: a method, a path pattern and the function that answers it.
struct Route: Sendable {
  typealias Reader =
    @Sendable (RequestContext, EmulatorState) throws(Refusal) -> EmulatorResponse
  typealias Writer =
    @Sendable (RequestContext, inout EmulatorState) throws(Refusal) -> EmulatorResponse

  enum Handler: Sendable {
    case reads(Reader)
    case writes(Writer)
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
  static let genericPackage =
    projects + "/packages/generic/:package_name/:package_version/:file_name"

  static let routes: [Route] = [
    .get(projects, ProjectRoutes.show),
    .get(projects + "/releases", ReleaseRoutes.list),
    .post(projects + "/releases", ReleaseRoutes.create),
    .get(projects + "/releases/:tag_name", ReleaseRoutes.show),
    .get(links, LinkRoutes.list),
    .post(links, LinkRoutes.create),
    .get(links + "/:link_id", LinkRoutes.show),
    .put(links + "/:link_id", LinkRoutes.update),
    .delete(links + "/:link_id", LinkRoutes.delete),
    .get(projects + "/jobs/:job_id/artifacts", ArtifactRoutes.download),
    .get(genericPackage, PackageRoutes.download),
    .put(genericPackage, PackageRoutes.upload),
    .get("/object-storage/:name", ArtifactRoutes.storageObject),
    .get("/-/emulator/stats", ControlRoutes.stats).control,
    .delete("/-/emulator/stats", ControlRoutes.resetStats).control,
    .get("/-/emulator/links/:id/:tag_name", ControlRoutes.links).control,
  ]

  static func find(method: String, rawPath: String) -> (Route, PathParameters)? {
    for route in routes where route.method == method {
      if let parameters = route.pattern.match(rawPath: rawPath) { return (route, parameters) }
    }
    return nil
  }

  /// Whether the path belongs to the emulator's own routes, whatever the method.
  static func isControl(rawPath: String) -> Bool {
    routes.contains { $0.audience == .control && $0.pattern.match(rawPath: rawPath) != nil }
  }
}
