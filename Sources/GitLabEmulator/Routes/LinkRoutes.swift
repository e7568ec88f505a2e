/// `/projects/:id/releases/:tag_name/assets/links[/:link_id]`.
enum LinkRoutes {
  /// The project and tag the route's path names.
  struct Target {
    var project: String
    var tag: String

    init(_ context: RequestContext) {
      project = context.path["id"]
      tag = context.path["tag_name"]
    }
  }

  static let linkFieldKeys = ["name", "url", "filepath", "direct_asset_path", "link_type"]

  static func list(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let target = Target(context)
    try context.requireValid(Pagination.parameterErrors(context.parameters))
    let (project, _) = try Router.access(project: target.project, context: context, state: state)
    let release = try ReleaseRoutes.find(project: project, tag: target.tag, state: state)
    let pagination = Pagination(context.parameters)
    let (page, headers) = pagination.apply(
      to: Array(release.links.reversed()),
      pageURL: context.pageURL(fallbackBaseURL: state.baseURL),
      queryParameters: echoedParameters(
        context,
        extra: [
          ("id", target.project), ("tag_name", target.tag),
        ]))
    let body = JSONValue.array(
      page.map { LinkEntity.render($0, project: project, tag: release.tag, webURL: state.webURL) })
    return .json(200, body, headers: headers)
  }

  static func show(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let target = Target(context)
    let id = try parseLinkID(context, otherErrors: [])
    let (project, _) = try Router.access(project: target.project, context: context, state: state)
    let release = try ReleaseRoutes.find(project: project, tag: target.tag, state: state)
    let link = try find(id, in: release)
    return .json(
      200, LinkEntity.render(link, project: project, tag: release.tag, webURL: state.webURL))
  }

  static func create(_ context: RequestContext, _ state: inout EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let target = Target(context)
    let parameters = context.parameters
    var errors: [String] = []
    for key in ["name", "url"] {
      if !parameters.has(key) {
        errors.append("\(key) is missing")
      } else if parameters.isNotScalar(key) {
        errors.append("\(key) is invalid")
      }
    }
    errors += optionalFieldErrors(parameters, version: state.version)
    try context.requireValid(errors)

    let (project, role) = try Router.access(
      project: target.project, context: context, state: state)
    var release = try ReleaseRoutes.find(project: project, tag: target.tag, state: state)
    try Router.requireWrite(role, tag: release.tag, in: project)

    let name = parameters.string("name") ?? ""
    let url = LinkValidation.strip(parameters.string("url") ?? "")
    let filepath = requestedPath(parameters, version: state.version)
    let messages = LinkValidation.errors(
      name: name, url: url, filepath: filepath, existing: release.links)
    guard messages.isEmpty else { throw Refusal(modelErrors(messages)) }

    let link = EmulatedLink(
      id: state.takeLinkID(), name: name, url: url, directAssetPath: filepath,
      linkType: parameters.string("link_type") ?? "other")
    release.links.append(link)
    state.releases[ReleaseKey(projectID: project.id, tag: release.tag)] = release
    return .json(
      201, LinkEntity.render(link, project: project, tag: release.tag, webURL: state.webURL))
  }

  static func update(_ context: RequestContext, _ state: inout EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let target = Target(context)
    let parameters = context.parameters
    var otherErrors: [String] = []
    for key in ["name", "url"] where parameters.isNotScalar(key) {
      otherErrors.append("\(key) is invalid")
    }
    otherErrors += optionalFieldErrors(parameters, version: state.version)
    if !parameters.has("name"), !parameters.has("url") {
      otherErrors.append("name, url are missing, at least one parameter must be provided")
    }
    let id = try parseLinkID(context, otherErrors: otherErrors)

    let (project, role) = try Router.access(
      project: target.project, context: context, state: state)
    var release = try ReleaseRoutes.find(project: project, tag: target.tag, state: state)
    let current = try find(id, in: release)
    try Router.requireWrite(role, tag: release.tag, in: project)

    var updated = current
    if let name = parameters.string("name") { updated.name = name }
    if parameters.has("url") { updated.url = LinkValidation.strip(parameters.string("url") ?? "") }
    if setsPath(parameters, version: state.version) {
      updated.directAssetPath = requestedPath(parameters, version: state.version)
    }
    // Grape's default for `link_type` applies on PUT too, so leaving it out resets it.
    updated.linkType = parameters.string("link_type") ?? "other"

    let others = release.links.filter { $0.id != id }
    let messages = LinkValidation.errors(
      name: updated.name, url: updated.url, filepath: updated.directAssetPath, existing: others,
      checkScheme: updated.url != current.url)
    guard messages.isEmpty else { throw Refusal(modelErrors(messages)) }

    if let position = release.links.firstIndex(where: { $0.id == id }) {
      release.links[position] = updated
    }
    state.releases[ReleaseKey(projectID: project.id, tag: release.tag)] = release
    return .json(
      200, LinkEntity.render(updated, project: project, tag: release.tag, webURL: state.webURL))
  }

  static func delete(_ context: RequestContext, _ state: inout EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let target = Target(context)
    let id = try parseLinkID(context, otherErrors: [])
    let (project, role) = try Router.access(
      project: target.project, context: context, state: state)
    var release = try ReleaseRoutes.find(project: project, tag: target.tag, state: state)
    let link = try find(id, in: release)
    try Router.requireWrite(role, tag: release.tag, in: project)
    release.links.removeAll { $0.id == id }
    state.releases[ReleaseKey(projectID: project.id, tag: release.tag)] = release
    return .json(
      200, LinkEntity.render(link, project: project, tag: release.tag, webURL: state.webURL))
  }

  // MARK: - Shared steps

  /// `direct_asset_path` wins over the deprecated `filepath`; before 15.9 only `filepath` exists.
  static func requestedPath(_ parameters: RequestParameters, version: EmulatedVersion) -> String? {
    version.acceptsDirectAssetPath && parameters.has("direct_asset_path")
      ? parameters.string("direct_asset_path") : parameters.string("filepath")
  }

  /// Whether the request sets a path at all, by a name this version knows.
  static func setsPath(_ parameters: RequestParameters, version: EmulatedVersion) -> Bool {
    parameters.has("filepath")
      || (version.acceptsDirectAssetPath && parameters.has("direct_asset_path"))
  }

  /// Errors of the optional link fields: non-scalar paths, a `link_type` outside GitLab's values.
  static func optionalFieldErrors(
    _ parameters: RequestParameters, prefix: String = "", version: EmulatedVersion = .current
  ) -> [String] {
    var errors: [String] = []
    let pathKeys =
      version.acceptsDirectAssetPath ? ["filepath", "direct_asset_path"] : ["filepath"]
    for key in pathKeys where parameters.isNotScalar(key) {
      errors.append("\(prefix)\(key) is invalid")
    }
    if parameters.has("link_type") {
      let value = parameters.string("link_type")
      if !(value.map(LinkValidation.linkTypes.contains) ?? false) {
        errors.append("\(prefix)link_type does not have a valid value")
      }
    }
    return errors
  }

  static func modelErrors(_ messages: [String]) -> EmulatorResponse {
    .json(400, .object([("message", .array(messages.map { .string($0) }))]))
  }

  private static func parseLinkID(_ context: RequestContext, otherErrors: [String])
    throws(Refusal) -> Int
  {
    let id = Int(context.path["link_id"])
    try context.requireValid((id == nil ? ["link_id is invalid"] : []) + otherErrors)
    return id ?? 0
  }

  private static func find(_ id: Int, in release: ReleaseRecord) throws(Refusal) -> EmulatedLink {
    guard let link = release.links.first(where: { $0.id == id }) else {
      throw Refusal(.notFound)
    }
    return link
  }

  /// Parameters echoed in `Link` header URLs: the route's and the query's, never credentials.
  static func echoedParameters(_ context: RequestContext, extra: [(String, String)]) -> [(
    String, String
  )] {
    var pairs = extra
    for (key, value) in context.parameters.values
    where !["private_token", "job_token", "access_token"].contains(key)
      && !pairs.contains(where: { $0.0 == key })
    {
      switch value {
      case .string(let text), .number(let text): pairs.append((key, text))
      case .bool(let flag): pairs.append((key, flag ? "true" : "false"))
      default: break
      }
    }
    return pairs
  }
}
