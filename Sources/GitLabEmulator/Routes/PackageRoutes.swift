/// `PUT`/`GET /projects/:id/packages/generic/:package_name/:package_version/:file_name`.
enum PackageRoutes {
  struct Target {
    var project: String
    var name: String
    var version: String
    var file: String

    init(_ context: RequestContext) {
      project = context.path["id"]
      name = context.path["package_name"]
      version = context.path["package_version"]
      file = context.path["file_name"]
    }
  }

  static func upload(_ context: RequestContext, _ state: inout EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let target = Target(context)
    try context.requireValid(parameterErrors(target))
    let (project, role) = try Router.access(
      project: target.project, context: context, state: state)
    try Router.requireWrite(role)
    state.packageFiles[key(target, project: project)] = context.request.body
    return .message(201, "201 Created")
  }

  static func download(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let target = Target(context)
    try context.requireValid(parameterErrors(target))
    let (project, _) = try Router.access(project: target.project, context: context, state: state)
    guard let bytes = state.packageFiles[key(target, project: project)] else {
      throw Refusal(.notFound)
    }
    return EmulatorResponse(
      status: 200, headers: [("Content-Type", "application/octet-stream")], body: .bytes(bytes))
  }

  private static func key(_ target: Target, project: ProjectRecord) -> PackageFileKey {
    PackageFileKey(
      projectID: project.id, name: target.name, version: target.version, file: target.file)
  }

  /// Generic package names, versions and file names: letters, digits and `._-+` (`~` too in file
  /// names), never empty.
  private static func parameterErrors(_ target: Target) -> [String] {
    func valid(_ text: String, extra: Set<Unicode.Scalar>) -> Bool {
      !text.isEmpty
        && text.unicodeScalars.allSatisfy {
          ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
            || $0 == "." || $0 == "_" || $0 == "-" || $0 == "+" || extra.contains($0)
        }
    }
    var errors: [String] = []
    if !valid(target.name, extra: []) { errors.append("package_name is invalid") }
    if !valid(target.version, extra: []) { errors.append("package_version is invalid") }
    if !valid(target.file, extra: ["~"]) { errors.append("file_name is invalid") }
    return errors
  }
}
