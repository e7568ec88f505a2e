#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `GET /projects/:id/packages` (lib/api/project_packages.rb), and
/// `GET`/`DELETE /projects/:id/packages/:package_id/package_files[/:package_file_id]`
/// (lib/api/package_files.rb). Job tokens are allowed on all three and act with their user's role.
enum PackageRoutes {
  /// `Packages::Package.package_types`, the values `package_type` may take.
  static let packageTypes = [
    "maven", "npm", "conan", "nuget", "pypi", "composer", "generic", "golang", "debian",
    "rubygems", "helm", "terraform_module", "rpm", "ml_model", "cargo",
  ]
  static let statuses = ["default", "hidden", "processing", "error", "pending_destruction"]

  static func list(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let (project, role) = try access(context, state: state)
    let parameters = context.parameters
    try context.requireValid(
      Pagination.parameterErrors(parameters)
        + valueErrors(parameters, "order_by", ["created_at", "name", "version", "type"])
        + valueErrors(parameters, "sort", ["asc", "desc"])
        + valueErrors(parameters, "package_type", packageTypes)
        + valueErrors(parameters, "status", statuses))
    var packages = state.packages.packages.filter { $0.projectID == project.id }
    // `PackagesFinder`: only generic packages exist here; `package_name` is `search_by_name`
    // (ILIKE %name%); `package_version` is exact; without `status`, only `displayable` ones.
    if let type = present(parameters, "package_type"), type != "generic" { packages = [] }
    if let name = present(parameters, "package_name")?.lowercased() {
      packages = packages.filter { $0.name.lowercased().contains(name) }
    }
    if let version = present(parameters, "package_version") {
      packages = packages.filter { $0.version == version }
    }
    if let status = present(parameters, "status") {
      packages = packages.filter { $0.status == status }
    } else {
      packages = packages.filter { ["default", "error"].contains($0.status) }
    }
    let descending = parameters.string("sort") == "desc"
    packages.sort { a, b in
      let (x, y) = descending ? (b, a) : (a, b)
      switch parameters.string("order_by") ?? "created_at" {
      case "name": return (x.name, x.id) < (y.name, y.id)
      case "version": return (x.version, x.id) < (y.version, y.id)
      case "type": return x.id < y.id
      default: return (x.createdAt, x.id) < (y.createdAt, y.id)
      }
    }
    let (page, headers) = Pagination(parameters).apply(
      to: packages, pageURL: context.pageURL(fallbackBaseURL: state.baseURL),
      queryParameters: LinkRoutes.echoedParameters(context, extra: [("id", context.path["id"])]))
    let body = JSONValue.array(
      page.map {
        PackageEntities.package(
          $0, project: project, canDestroy: role == .maintainer, webURL: state.webURL)
      })
    return .json(200, body, headers: headers)
  }

  static func files(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let (project, _) = try access(context, state: state)
    let parameters = context.parameters
    let packageID = Int(context.path["package_id"])
    try context.requireValid(
      (packageID == nil ? ["package_id is invalid"] : [])
        + Pagination.parameterErrors(parameters)
        + valueErrors(parameters, "order_by", ["id", "created_at", "file_name"])
        + valueErrors(parameters, "sort", ["asc", "desc"]))
    guard let packageID, let package = state.packages.package(id: packageID, projectID: project.id)
    else { throw Refusal(.notFound) }
    var files = state.packages.files(ofPackage: package.id)
    let descending = parameters.string("sort") == "desc"
    files.sort { a, b in
      let (x, y) = descending ? (b, a) : (a, b)
      switch parameters.string("order_by") ?? "id" {
      case "created_at": return (x.createdAt, x.id) < (y.createdAt, y.id)
      case "file_name": return (x.fileName, x.id) < (y.fileName, y.id)
      default: return x.id < y.id
      }
    }
    let (page, headers) = Pagination(parameters).apply(
      to: files, pageURL: context.pageURL(fallbackBaseURL: state.baseURL),
      queryParameters: LinkRoutes.echoedParameters(
        context, extra: [("id", context.path["id"]), ("package_id", String(packageID))]))
    return .json(200, .array(page.map(PackageEntities.file)), headers: headers)
  }

  /// 204 once the file is gone. `authorize_destroy_package!` (`destroy_package`) is granted to
  /// Maintainers and above only (app/policies/project_policy.rb), job tokens included.
  static func deleteFile(_ context: RequestContext, _ state: inout EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let (project, role) = try access(context, state: state)
    let packageID = Int(context.path["package_id"])
    let fileID = Int(context.path["package_file_id"])
    try context.requireValid(
      (packageID == nil ? ["package_id is invalid"] : [])
        + (fileID == nil ? ["package_file_id is invalid"] : []))
    guard role == .maintainer else { throw Refusal(.forbidden) }
    guard let packageID, let fileID,
      state.packages.package(id: packageID, projectID: project.id) != nil
    else { throw Refusal(.notFound) }
    guard state.packages.files(ofPackage: packageID).contains(where: { $0.id == fileID }),
      let removed = state.packages.removeFile(id: fileID)
    else { throw Refusal(.message(404, "404 Not Found")) }
    unlink(removed.path)
    return EmulatorResponse(status: 204)
  }

  /// `authorize_packages_access!(user_project)` runs in the `before` block, ahead of the
  /// parameters: the project as the caller sees it, then `read_package` (Reporter and above).
  private static func access(_ context: RequestContext, state: EmulatorState) throws(Refusal)
    -> (ProjectRecord, ProjectRole)
  {
    let (project, role) = try Router.access(
      project: context.path["id"], context: context, state: state)
    guard role.isAtLeast(.reporter) else { throw Refusal(.forbidden) }
    return (project, role)
  }

  /// Grape's `values:` check.
  private static func valueErrors(
    _ parameters: RequestParameters, _ key: String, _ values: [String]
  )
    -> [String]
  {
    guard parameters.has(key), !(parameters.string(key).map(values.contains) ?? false) else {
      return []
    }
    return ["\(key) does not have a valid value"]
  }

  /// A filter given with a value (`params[:x].present?`).
  private static func present(_ parameters: RequestParameters, _ key: String) -> String? {
    guard let value = parameters.string(key), !LinkValidation.isBlank(value) else { return nil }
    return value
  }
}
