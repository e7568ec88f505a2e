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

  /// `http://HOST:PORT` as the client reached us (from `Host`), else the emulator's own base URL.
  func origin(fallbackBaseURL: String) -> String {
    request.header("Host").map { "http://\($0)" } ?? fallbackBaseURL
  }

  /// The URL of this request without its query, on the host the client used (for `Link` headers).
  func pageURL(fallbackBaseURL: String) -> String {
    origin(fallbackBaseURL: fallbackBaseURL) + request.rawPath
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
    guard let (route, context) = route(for: request) else { return .routeNotFound }
    if let bodyError = context.parameters.bodyError {
      return .error(400, bodyError)
    }
    do {
      switch route.handler {
      case .reads(let reader): return try reader(context, state)
      case .writes(let writer): return try writer(context, &state)
      // The core streams upload bodies to disk (`EmulatorCore.begin`); they never come here.
      case .uploads: return .message(500, "500 Internal Server Error")
      }
    } catch {
      return error.response
    }
  }

  /// The upload route a request's head names, if it is one.
  static func uploadRoute(for request: EmulatorRequest) -> (UploadHandler, RequestContext)? {
    guard let (route, context) = route(for: request), case .uploads(let handler) = route.handler
    else { return nil }
    return (handler, context)
  }

  private static func route(for request: EmulatorRequest) -> (Route, RequestContext)? {
    guard let (route, path) = RouteTable.find(method: request.method, rawPath: request.rawPath)
    else { return nil }
    return (
      route, RequestContext(request: request, parameters: RequestParameters(request), path: path)
    )
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
