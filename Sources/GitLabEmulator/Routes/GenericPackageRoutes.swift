#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `PUT`/`GET /projects/:id/packages/generic/:package_name/:package_version/:file_name`, as
/// lib/api/generic_packages.rb and app/services/packages/generic/create_package_file_service.rb
/// have them. Job tokens are allowed (`job_token_allowed: true`) and act with their user's role.
enum GenericPackageRoutes {
  static let upload = UploadHandler(authorize: authorize, commit: commit)

  /// Checked when the upload's head arrives, before any of its body is read.
  static func authorize(_ context: RequestContext, _ state: inout EmulatorState) throws(Refusal)
    -> UploadTicket
  {
    // `authenticate_non_get!` runs in the API's `before` block, ahead of the parameters: an
    // upload without a credential is a 401 whatever else is wrong with it.
    let caller = try Authenticator.authenticate(
      context.request, parameters: context.parameters, state: state)
    if case .anonymous = caller { throw Refusal(.unauthorized) }
    try context.requireValid(parameterErrors(context, upload: true))
    let (project, role) = try Router.access(
      project: context.path["id"], context: context, state: state)
    // `authorize_upload!`: `create_package`, Developer and above.
    try Router.requireWrite(role)
    guard let partPath = state.storage.partPath() else { throw Refusal(.internalError) }
    let name = context.path["package_name"]
    let version = context.path["package_version"]
    return UploadTicket(
      projectID: project.id, packageName: name, packageVersion: version,
      fileName: context.path["file_name"], status: context.parameters.string("status"),
      selectsPackageFile: context.parameters.string("select") == "package_file",
      packageExisted: state.packages.package(projectID: project.id, name: name, version: version)
        != nil,
      partPath: partPath, maximumSize: state.packages.maximumFileSize)
  }

  /// Stores the uploaded file once its body is on disk, or refuses it as GitLab would.
  static func commit(
    _ context: RequestContext, _ ticket: UploadTicket, _ received: ReceivedUpload,
    _ state: inout EmulatorState
  ) throws(Refusal) -> EmulatorResponse {
    guard !received.failed else { throw Refusal(.internalError) }
    // `bad_request!('File is too large') if max_file_size_exceeded?`
    guard !received.exceededLimit else { throw Refusal(.badRequest("File is too large")) }
    let existing = state.packages.package(
      projectID: ticket.projectID, name: ticket.packageName, version: ticket.packageVersion)
    if state.packages.failsConcurrentCreation, !ticket.packageExisted, existing != nil {
      // Another first upload created the package while this one was under way: the losing
      // transaction fails on the unique index, and `rescue_from :all` answers 500.
      throw Refusal(.internalError)
    }
    if let existing, state.packages.projectsRejectingDuplicates.contains(ticket.projectID),
      state.packages.latestFile(ofPackage: existing.id, named: ticket.fileName) != nil
    {
      // `Packages::DuplicatePackageError` when `duplicates_allowed?` is false.
      throw Refusal(.badRequest("Duplicate package is not allowed"))
    }
    let package =
      existing
      ?? state.packages.createPackage(
        projectID: ticket.projectID, name: ticket.packageName, version: ticket.packageVersion,
        status: ticket.status ?? "default")
    // `package.update_column(:status, …) if params[:status] && params[:status] != package.status`
    if let status = ticket.status, status != package.status {
      state.packages.setStatus(status, ofPackage: package.id)
    }
    let id = state.packages.takeFileID()
    guard let path = state.storage.filePath(id: id), rename(ticket.partPath, path) == 0 else {
      throw Refusal(.internalError)
    }
    let file = PackageFileRecord(
      id: id, packageID: package.id, fileName: ticket.fileName, size: received.size,
      sha256: received.sha256, createdAt: Timestamps.now(), path: path)
    state.packages.add(file)
    state.stats.uploads += 1
    state.stats.uploadedBytes += received.size
    // Grape answers a PUT that presents something with 200; `created!` is the 201.
    if ticket.selectsPackageFile {
      return .json(200, PackageEntities.storedFile(file, projectID: ticket.projectID))
    }
    return .message(201, "201 Created")
  }

  /// The most recent file of that name in the package; hidden packages download too.
  static func download(_ context: RequestContext, _ state: inout EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    try context.requireValid(parameterErrors(context, upload: false))
    let (project, role) = try Router.access(
      project: context.path["id"], context: context, state: state)
    // `authorize_read_package!`: Reporter and above in a private project.
    guard role.isAtLeast(.reporter) else { throw Refusal(.forbidden) }
    guard
      let package = state.packages.package(
        projectID: project.id, name: context.path["package_name"],
        version: context.path["package_version"]),
      let file = state.packages.latestFile(ofPackage: package.id, named: context.path["file_name"])
    else { throw Refusal(.notFound) }
    state.packages.touchDownloaded(package: package.id)
    return fileResponse(file, checksum: true)
  }

  /// `present_package_file!`: the file as an attachment, served by Workhorse with ranges.
  static func fileResponse(_ file: PackageFileRecord, checksum: Bool) -> EmulatorResponse {
    var headers = [
      ("Content-Type", "application/octet-stream"),
      (
        "Content-Disposition",
        "attachment; filename=\"\(file.fileName)\"; filename*=UTF-8''\(file.fileName)"
      ),
    ]
    if checksum { headers.append(("X-Checksum-SHA256", file.sha256)) }
    var response = EmulatorResponse(
      status: 200, headers: headers, body: .file(path: file.path, offset: 0, length: file.size))
    response.acceptsRanges = true
    return response
  }

  /// Grape's parameter errors, in declaration order. Names and file names are
  /// `maven_file_name_regex` (`\A[A-Za-z0-9\.\_\-\+]+\z`) and must be a valid file path; versions
  /// are `maven_version_regex` (`\A(?!.*\.\.)[\w+.-]+\z`) (lib/gitlab/regex/packages.rb).
  static func parameterErrors(_ context: RequestContext, upload: Bool) -> [String] {
    var errors: [String] = []
    for key in ["package_name", "package_version", "file_name"] {
      let value = context.path[key]
      let valid = key == "package_version" ? isVersion(value) : isName(value)
      if !valid {
        errors.append("\(key) is invalid")
      } else if value == ".." {
        // `Gitlab::PathTraversal.check_path_traversal!` through the `file_path` validator.
        errors.append("\(key) should be a valid file path")
      }
    }
    guard upload else { return errors }
    if let status = context.parameters.string("status"), !["default", "hidden"].contains(status) {
      errors.append("status does not have a valid value")
    }
    if let select = context.parameters.string("select"), select != "package_file" {
      errors.append("select does not have a valid value")
    }
    return errors
  }

  private static func isName(_ text: String) -> Bool {
    !text.isEmpty
      && text.unicodeScalars.allSatisfy {
        $0.isASCIIAlphanumeric || $0 == "." || $0 == "_" || $0 == "-" || $0 == "+"
      }
  }

  private static func isVersion(_ text: String) -> Bool {
    !text.isEmpty && !text.contains("..")
      && text.unicodeScalars.allSatisfy {
        $0.isASCIIAlphanumeric || $0 == "_" || $0 == "+" || $0 == "." || $0 == "-"
      }
  }
}

extension Unicode.Scalar {
  fileprivate var isASCIIAlphanumeric: Bool {
    ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
  }
}
