/// An answer that ends a request early (a parameter error, a refusal, a missing record).
struct Refusal: Error {
  var response: EmulatorResponse
  init(_ response: EmulatorResponse) { self.response = response }
}

/// What every handler gets: the request, its merged parameters and where the client reached us.
struct RequestContext {
  var request: EmulatorRequest
  var parameters: RequestParameters

  /// The URL of this request without its query, on the host the client used (for `Link` headers).
  func pageURL(fallbackBaseURL: String) -> String {
    let base = request.header("Host").map { "http://\($0)" } ?? fallbackBaseURL
    return base + request.rawPath
  }

  /// Fails with Grape's 400 when there are parameter errors, joined as Grape joins them.
  func requireValid(_ errors: [String]) throws(Refusal) {
    guard errors.isEmpty else {
      throw Refusal(.error(400, errors.joined(separator: ", ")))
    }
  }
}

/// Routes one API request to its handler, in GitLab's order: route, parameters, token and project,
/// release, link, permission, model.
enum Router {
  static func handle(_ request: EmulatorRequest, state: inout EmulatorState) -> EmulatorResponse {
    guard let route = Route.match(method: request.method, rawPath: request.rawPath) else {
      return .routeNotFound
    }
    let context = RequestContext(request: request, parameters: RequestParameters(request))
    if let bodyError = context.parameters.bodyError {
      return .error(400, bodyError)
    }
    do {
      return try dispatch(route, context: context, state: &state)
    } catch {
      return error.response
    }
  }

  private static func dispatch(
    _ route: Route, context: RequestContext, state: inout EmulatorState
  ) throws(Refusal) -> EmulatorResponse {
    let method = context.request.method
    switch route {
    case .project(let id):
      return try ProjectRoutes.show(project: id, context: context, state: state)
    case .releases(let project):
      return method == "POST"
        ? try ReleaseRoutes.create(project: project, context: context, state: &state)
        : try ReleaseRoutes.list(project: project, context: context, state: state)
    case .release(let project, let tag):
      return try ReleaseRoutes.show(project: project, tag: tag, context: context, state: state)
    case .links(let project, let tag):
      let target = LinkRoutes.Target(project: project, tag: tag)
      return method == "POST"
        ? try LinkRoutes.create(target, context: context, state: &state)
        : try LinkRoutes.list(target, context: context, state: state)
    case .link(let project, let tag, let linkID):
      let target = LinkRoutes.Target(project: project, tag: tag)
      switch method {
      case "PUT": return try LinkRoutes.update(target, linkID, context: context, state: &state)
      case "DELETE": return try LinkRoutes.delete(target, linkID, context: context, state: &state)
      default: return try LinkRoutes.show(target, linkID, context: context, state: state)
      }
    case .jobArtifacts(let project, let jobID):
      return try ArtifactRoutes.download(
        project: project, jobID: jobID, context: context, state: state)
    case .packageFile(let project, let name, let version, let file):
      let key = PackageRoutes.Target(project: project, name: name, version: version, file: file)
      return method == "PUT"
        ? try PackageRoutes.upload(key, context: context, state: &state)
        : try PackageRoutes.download(key, context: context, state: state)
    case .storageObject(let name):
      return ArtifactRoutes.storageObject(name: name, state: state)
    case .emulatorStats, .emulatorLinks:
      return ControlRoutes.handle(route, method: method, state: &state)
    }
  }

  /// Authenticates the caller and finds the project it may see, with the caller's role there.
  static func access(
    project identifier: String, context: RequestContext, state: EmulatorState
  ) throws(Refusal) -> (ProjectRecord, ProjectRole) {
    let caller = try Authenticator.authenticate(
      context.request, parameters: context.parameters, state: state)
    guard let project = state.project(matching: identifier) else {
      throw Refusal(.projectNotFound)
    }
    return (project, try Authenticator.role(of: caller, in: project, state: state))
  }

  /// Developers and maintainers write; others get GitLab's plain 403.
  static func requireWrite(_ role: ProjectRole) throws(Refusal) {
    guard role.canWrite else { throw Refusal(.forbidden) }
  }

  /// Writing a release (or its links) needs the right to create its tag: on a protected tag only
  /// maintainers have it.
  static func requireWrite(_ role: ProjectRole, tag: String, in project: ProjectRecord)
    throws(Refusal)
  {
    try requireWrite(role)
    guard role == .maintainer || !project.protectedTags.contains(tag) else {
      throw Refusal(.forbidden)
    }
  }
}
