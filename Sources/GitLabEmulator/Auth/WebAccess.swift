/// Who a browser is on GitLab's web pages, and what it may see of a (private) project.
///
/// A request that is not signed in is sent to the sign-in page, whether or not the project exists
/// (`ApplicationController#route_not_found`: `redirect_to new_user_session_path` unless
/// `current_user`); a signed-in user who may not see the project or the page gets the 404 page.
/// The API's token rules do not apply here: a credential the emulator does not know, a scope, a
/// finished job simply leave the browser signed out, never a 401. A browser's session is the
/// `_gitlab_session` cookie; the emulator takes a personal access token as its value, and also
/// takes the tokens API clients send, so a client that follows links with its token is signed in.
enum WebAccess {
  static func project(
    _ context: RequestContext, state: EmulatorState, minimum: ProjectRole = .guest
  ) throws(Refusal) -> ProjectRecord {
    let caller = signedIn(context, state: state)
    if case .anonymous = caller {
      throw Refusal(.redirect(context.origin(fallbackBaseURL: state.baseURL) + "/users/sign_in"))
    }
    guard let project = state.project(matching: context.path["project"]),
      let role = try? Authenticator.role(of: caller, in: project, state: state),
      role.isAtLeast(minimum)
    else { throw Refusal(.pageNotFound) }
    return project
  }

  private static func signedIn(_ context: RequestContext, state: EmulatorState) -> Caller {
    if let session = cookie("_gitlab_session", in: context.request),
      let record = state.privateTokens[session]
    {
      return .user(record)
    }
    let caller = try? Authenticator.authenticate(
      context.request, parameters: context.parameters, state: state)
    return caller ?? .anonymous
  }

  private static func cookie(_ name: String, in request: EmulatorRequest) -> String? {
    for pair in (request.header("Cookie") ?? "").split(separator: ";") {
      let parts = pair.split(separator: "=", maxSplits: 1)
      if parts.count == 2, parts[0].drop(while: { $0 == " " }) == name { return String(parts[1]) }
    }
    return nil
  }
}
