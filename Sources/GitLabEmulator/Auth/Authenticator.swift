/// Who is calling, as GitLab's auth finders decide it.
enum Caller: Sendable {
  case anonymous
  case user(PrivateTokenRecord)
  case job(JobTokenRecord)
}

/// GitLab's authentication (token → caller) and project visibility (caller → role or refusal).
enum Authenticator {
  /// Resolves the credentials of a request. A personal access token (`PRIVATE-TOKEN`,
  /// `private_token=`) is tried first, then `Authorization: Bearer`, then a job token (`JOB-TOKEN`,
  /// `job_token=`). A credential that is sent but not valid is a 401, never a fallback to anonymous.
  static func authenticate(
    _ request: EmulatorRequest, parameters: RequestParameters, state: EmulatorState
  ) throws(Refusal) -> Caller {
    let isWrite = request.isWrite
    if let token = request.header("PRIVATE-TOKEN") ?? parameters.string("private_token") {
      guard let record = state.privateTokens[token] else { throw Refusal(.unauthorized) }
      return try scoped(record, isWrite: isWrite)
    }
    if let authorization = request.header("Authorization") {
      let parts = authorization.split(separator: " ", maxSplits: 1)
      guard parts.count == 2, parts[0].lowercased() == "bearer" else {
        throw Refusal(.unauthorized)
      }
      let token = String(parts[1])
      if let record = state.privateTokens[token] {
        return try scoped(record, isWrite: isWrite)
      }
      return try job(token, state: state)
    }
    if let token = request.header("JOB-TOKEN") ?? parameters.string("job_token") {
      return try job(token, state: state)
    }
    return .anonymous
  }

  /// `read_api` allows reads only; a token with neither `api` nor `read_api` allows nothing.
  private static func scoped(_ record: PrivateTokenRecord, isWrite: Bool) throws(Refusal) -> Caller
  {
    let allowed = record.scopes.contains("api") || (!isWrite && record.scopes.contains("read_api"))
    guard allowed else { throw Refusal(.insufficientScope) }
    return .user(record)
  }

  /// A job token is valid only while its job runs.
  private static func job(_ token: String, state: EmulatorState) throws(Refusal) -> Caller {
    guard let record = state.jobTokens[token], record.running else {
      throw Refusal(.unauthorized)
    }
    return .job(record)
  }

  /// The caller's role in the project, or GitLab's answer when the project is not visible: 404 for
  /// anonymous callers and non-members (projects are private), 403 for a job token of a project
  /// that is not on the target's allowlist.
  static func role(
    of caller: Caller, in project: ProjectRecord, state: EmulatorState
  ) throws(Refusal) -> ProjectRole {
    switch caller {
    case .anonymous:
      throw Refusal(.projectNotFound)
    case .user(let record):
      guard let role = record.roles[project.id] else { throw Refusal(.projectNotFound) }
      return role
    case .job(let record):
      if record.projectID == project.id || project.jobTokenAllowlist.contains(record.projectID) {
        return record.role
      }
      let source = state.projects[record.projectID].map(\.path) ?? String(record.projectID)
      let message =
        "403 Forbidden - Authentication by CI/CD job token not allowed from "
        + "\(lastSegment(source)) to \(lastSegment(project.path))."
      throw Refusal(.message(403, message))
    }
  }

  private static func lastSegment(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }
}
