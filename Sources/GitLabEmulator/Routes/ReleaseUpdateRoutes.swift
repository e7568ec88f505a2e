/// `PUT /projects/:id/releases/:tag_name`, and the release fields create and update share:
/// `name`, `description`, `milestones` and `released_at` (`lib/api/releases.rb`,
/// `app/services/releases/update_service.rb`, `app/services/releases/base_service.rb`).
enum ReleaseUpdateRoutes {
  /// GitLab's `Release` validates the description's length (`Gitlab::Database::MAX_TEXT_SIZE_LIMIT`).
  static let maximumDescriptionLength = 1_000_000

  /// Updates the fields given; the rest stay. The service's order: the tag, the release, the
  /// permission, "params is empty", missing milestones, then the model's validation.
  static func update(_ context: RequestContext, _ state: inout EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let parameters = context.parameters
    var errors: [String] = []
    for key in ["name", "description"] where parameters.isNotScalar(key) {
      errors.append("\(key) is invalid")
    }
    errors += parameterErrors(parameters)
    try context.requireValid(errors)

    let (project, role) = try Router.access(
      project: context.path["id"], context: context, state: state)
    let tag = context.path["tag_name"]
    if let repository = project.repository, repository.tags[tag] == nil {
      throw Refusal(.message(404, "Tag does not exist"))
    }
    let key = ReleaseKey(projectID: project.id, tag: tag)
    guard var release = state.releases[key] else {
      throw Refusal(.message(404, "Release does not exist"))
    }
    try Router.requireWrite(role, tag: tag, in: project)
    let fields = ["name", "description", "released_at", "milestones", "milestone_ids"]
    guard fields.contains(where: parameters.has) else {
      throw Refusal(.message(400, "params is empty"))
    }
    let titles = milestoneTitles(parameters)
    if let titles {
      let missing = missingMilestones(titles, in: project)
      guard missing.isEmpty else {
        throw Refusal(.message(400, "Milestone(s) not found: \(missing.joined(separator: ", "))"))
      }
    }

    if let name = parameters.string("name") { release.name = name }
    if parameters.has("description") {
      release.description = parameters.string("description") ?? ""
    }
    if let text = parameters.string("released_at") {
      release.releasedAtMilliseconds = Timestamps.milliseconds(iso8601: text)
    }
    if let titles { release.milestones = titles }
    guard release.description.count <= maximumDescriptionLength else {
      throw Refusal(
        .json(
          400,
          .object([
            (
              "message",
              .object([
                (
                  "description",
                  .array([
                    .string("is too long (maximum is \(maximumDescriptionLength) characters)")
                  ])
                )
              ])
            )
          ])))
    }
    state.releases[key] = release
    return .json(200, ReleaseEntity.render(release, project: project, webURL: state.webURL))
  }

  // MARK: - Shared with create

  /// Grape's parameter errors of the shared fields: a `released_at` that is not a date-time, and
  /// `milestones` with `milestone_ids`.
  static func parameterErrors(_ parameters: RequestParameters) -> [String] {
    var errors: [String] = []
    if parameters.has("released_at") {
      let text = parameters.string("released_at")
      if text.flatMap(Timestamps.milliseconds(iso8601:)) == nil {
        errors.append("released_at is invalid")
      }
    }
    if parameters.has("milestones"), milestoneTitles(parameters) == nil {
      errors.append("milestones is invalid")
    }
    if parameters.has("milestones") && parameters.has("milestone_ids") {
      errors.append("Cannot specify milestones and milestone_ids at the same time")
    }
    return errors
  }

  /// `milestones` as titles: a list of strings, or one string of comma-separated titles (GitLab's
  /// `CommaSeparatedToArray`); nil when absent or of another shape.
  static func milestoneTitles(_ parameters: RequestParameters) -> [String]? {
    switch parameters["milestones"] {
    case .array(let items):
      var titles: [String] = []
      for item in items {
        switch item {
        case .string(let text): titles.append(text)
        case .number(let text): titles.append(text)
        default: return nil
        }
      }
      return titles
    case .string(let text):
      return text.split(separator: ",").map {
        String($0.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
      }.filter { !$0.isEmpty }
    default:
      return nil
    }
  }

  /// The titles the project has no milestone for, in the order asked.
  static func missingMilestones(_ titles: [String], in project: ProjectRecord) -> [String] {
    let known = Set(project.milestones.map(\.title))
    return titles.filter { !known.contains($0) }
  }
}
