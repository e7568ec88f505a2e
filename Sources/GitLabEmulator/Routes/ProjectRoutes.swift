/// `GET /projects/:id`: enough of the project entity for a client to check its access.
enum ProjectRoutes {
  static func show(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let (project, role) = try Router.access(
      project: context.path["id"], context: context, state: state)
    let name = project.path.split(separator: "/").last.map(String.init) ?? project.path
    return .json(
      200,
      .object([
        ("id", .int(project.id)),
        ("name", .string(name)),
        ("path", .string(name)),
        ("path_with_namespace", .string(project.path)),
        ("web_url", .string("\(state.webURL)/\(project.path)")),
        ("visibility", .string("private")),
        (
          "permissions",
          .object([
            (
              "project_access",
              .object([("access_level", .int(role.accessLevel)), ("notification_level", .int(3))])
            ),
            ("group_access", .null),
          ])
        ),
      ]))
  }
}
