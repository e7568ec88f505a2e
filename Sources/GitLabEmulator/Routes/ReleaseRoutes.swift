/// `/projects/:id/releases[/:tag_name]`.
enum ReleaseRoutes {
  static func find(project: ProjectRecord, tag: String, state: EmulatorState) throws(Refusal)
    -> ReleaseRecord
  {
    guard let release = state.releases[ReleaseKey(projectID: project.id, tag: tag)] else {
      throw Refusal(.notFound)
    }
    return release
  }

  static func show(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let (project, _) = try Router.access(
      project: context.path["id"], context: context, state: state)
    let release = try find(project: project, tag: context.path["tag_name"], state: state)
    return .json(200, ReleaseEntity.render(release, project: project, webURL: state.webURL))
  }

  /// `GET /projects/:id/releases/:tag_name/downloads/*direct_asset_path`: Grape's redirect to the
  /// link's URL (lib/api/releases.rb, 15.4+; job token allowed).
  static func download(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let (project, _) = try Router.access(
      project: context.path["id"], context: context, state: state)
    let release = try find(project: project, tag: context.path["tag_name"], state: state)
    let path = "/" + context.path["direct_asset_path"]
    guard let link = release.links.first(where: { $0.directAssetPath == path }) else {
      throw Refusal(.notFound)
    }
    return EmulatorResponse(
      status: 302, headers: [("Location", link.url), ("Content-Type", "text/plain")],
      body: .bytes(Array("This resource has been moved temporarily to \(link.url).".utf8)))
  }

  /// Newest first, paginated like every GitLab list.
  static func list(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let identifier = context.path["id"]
    try context.requireValid(Pagination.parameterErrors(context.parameters))
    let (project, _) = try Router.access(project: identifier, context: context, state: state)
    let releases = state.releases.values.filter { $0.projectID == project.id }
      .sorted { $0.sequence > $1.sequence }
    let (page, headers) = Pagination(context.parameters).apply(
      to: releases, pageURL: context.pageURL(fallbackBaseURL: state.baseURL),
      queryParameters: LinkRoutes.echoedParameters(context, extra: [("id", identifier)]))
    let body = JSONValue.array(
      page.map { ReleaseEntity.render($0, project: project, webURL: state.webURL) })
    return .json(200, body, headers: headers)
  }

  /// Creates a release, with the links given as `assets[links][]`; 409 when it exists. The service's
  /// order (`app/services/releases/create_service.rb`): permission, protected tag, 409, missing
  /// milestones, then the tag (created from `ref` when missing: 422 without one), then the links.
  static func create(_ context: RequestContext, _ state: inout EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let identifier = context.path["id"]
    let parameters = context.parameters
    var errors: [String] = []
    if !parameters.has("tag_name") {
      errors.append("tag_name is missing")
    } else if parameters.isNotScalar("tag_name") {
      errors.append("tag_name is invalid")
    }
    let requestedLinks = assetLinks(parameters)
    for (index, fields) in requestedLinks.enumerated() {
      let prefix = "assets[links][\(index)]"
      for key in ["name", "url"] where !fields.has(key) {
        errors.append("\(prefix)[\(key)] is missing")
      }
      errors += LinkRoutes.optionalFieldErrors(fields, prefix: prefix + "[", version: state.version)
        .map { fixBracket($0, prefix: prefix) }
    }
    errors += ReleaseUpdateRoutes.parameterErrors(parameters)
    try context.requireValid(errors)

    let (project, role) = try Router.access(project: identifier, context: context, state: state)
    let tag = parameters.string("tag_name") ?? ""
    try Router.requireWrite(role, tag: tag, in: project)
    let key = ReleaseKey(projectID: project.id, tag: tag)
    guard state.releases[key] == nil else {
      throw Refusal(.message(409, "Release already exists"))
    }
    let milestones = ReleaseUpdateRoutes.milestoneTitles(parameters) ?? []
    let missing = ReleaseUpdateRoutes.missingMilestones(milestones, in: project)
    guard missing.isEmpty else {
      throw Refusal(.message(400, "Milestone(s) not found: \(missing.joined(separator: ", "))"))
    }
    var repository = project.repository
    if var known = repository, known.tags[tag] == nil {
      // Tags::CreateService makes the tag from `ref`.
      guard let ref = parameters.string("ref"), !ref.isEmpty else {
        throw Refusal(.message(422, "Ref is not specified"))
      }
      guard known.resolves(ref) else { throw Refusal(.message(400, "Target \(ref) is invalid")) }
      known.tags.updateValue(parameters.string("tag_message"), forKey: tag)
      repository = known
    }

    var links: [EmulatedLink] = []
    for fields in requestedLinks {
      let name = fields.string("name") ?? ""
      let url = LinkValidation.strip(fields.string("url") ?? "")
      let filepath = LinkRoutes.requestedPath(fields, version: state.version)
      let messages = LinkValidation.errors(
        name: name, url: url, filepath: filepath, existing: links)
      guard messages.isEmpty else { throw Refusal(LinkRoutes.modelErrors(messages)) }
      links.append(
        EmulatedLink(
          id: 0, name: name, url: url, directAssetPath: filepath,
          linkType: fields.string("link_type") ?? "other"))
    }
    for index in links.indices { links[index].id = state.takeLinkID() }

    let release = ReleaseRecord(
      projectID: project.id, tag: tag, name: parameters.string("name") ?? tag,
      description: parameters.string("description") ?? "", createdAt: Timestamps.now(),
      sequence: state.takeSequence(), links: links,
      releasedAtMilliseconds: parameters.string("released_at").flatMap(
        Timestamps.milliseconds(iso8601:)),
      milestones: milestones)
    state.projects[project.id]?.repository = repository
    state.releases[key] = release
    return .json(201, ReleaseEntity.render(release, project: project, webURL: state.webURL))
  }

  /// `assets[links][]` as parameter sets, from a form (`assets[links][][name]=…`) or JSON.
  private static func assetLinks(_ parameters: RequestParameters) -> [RequestParameters] {
    guard case .array(let items) = parameters["assets"]?["links"] else { return [] }
    return items.map { item in
      if case .object(let members) = item { return RequestParameters(members) }
      return RequestParameters([])
    }
  }

  private static func fixBracket(_ message: String, prefix: String) -> String {
    // "assets[links][0][link_type does not…" → "assets[links][0][link_type] does not…"
    guard let space = message.firstIndex(of: " ") else { return message }
    return String(message[..<space]) + "]" + String(message[space...])
  }
}
