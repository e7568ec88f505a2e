/// An answer that ends a request early (a parameter error, a refusal, a missing record).
struct Refusal: Error {
  var response: EmulatorResponse
  init(_ response: EmulatorResponse) { self.response = response }
}

/// What every handler gets: the request, its merged parameters, what the route's pattern captured
/// and where the client reached us.
struct RequestContext {
  var request: EmulatorRequest
  var parameters: RequestParameters
  var path: PathParameters

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

/// Routes one request through the route table to its handler. Handlers keep GitLab's order:
/// route, parameters, token and project, release, link, permission, model.
enum Router {
  static func handle(_ request: EmulatorRequest, state: inout EmulatorState) -> EmulatorResponse {
    guard let (route, path) = RouteTable.find(method: request.method, rawPath: request.rawPath)
    else { return .routeNotFound }
    let context = RequestContext(
      request: request, parameters: RequestParameters(request), path: path)
    if let bodyError = context.parameters.bodyError {
      return .error(400, bodyError)
    }
    do {
      switch route.handler {
      case .reads(let reader): return try reader(context, state)
      case .writes(let writer): return try writer(context, &state)
      }
    } catch {
      return error.response
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
