/// GitLab's package entities (lib/api/entities/package.rb, package_file.rb) and the package file
/// record an upload with `select=package_file` answers.
enum PackageEntities {
  /// `API::Entities::Package` as a list presents it: no `versions` in a collection, and no
  /// `pipeline`/`pipelines`, as the emulator keeps no pipelines. `delete_api_path` only for those
  /// who may delete (`can_destroy`).
  static func package(
    _ package: PackageRecord, project: ProjectRecord, canDestroy: Bool, webURL: String
  ) -> JSONValue {
    var links: [(String, JSONValue)] = [
      ("web_path", .string("/\(project.path)/-/packages/\(package.id)"))
    ]
    if canDestroy {
      links.append(
        (
          "delete_api_path",
          .string("\(webURL)/api/v4/projects/\(project.id)/packages/\(package.id)")
        ))
    }
    return .object([
      ("id", .int(package.id)),
      ("name", .string(package.name)),
      ("version", .string(package.version)),
      ("package_type", .string("generic")),
      ("status", .string(package.status)),
      ("_links", .object(links)),
      ("created_at", .string(Timestamps.iso8601(package.createdAt))),
      ("last_downloaded_at", .optionalString(package.lastDownloadedAt.map(Timestamps.iso8601))),
      ("tags", .array([])),
    ])
  }

  /// `API::Entities::PackageFile`. A generic upload records only the SHA-256 (Workhorse's hash,
  /// `file_sha256: params[:file].sha256`), so MD5 and SHA-1 are null.
  static func file(_ file: PackageFileRecord) -> JSONValue {
    .object([
      ("id", .int(file.id)),
      ("package_id", .int(file.packageID)),
      ("created_at", .string(Timestamps.iso8601(file.createdAt))),
      ("file_name", .string(file.fileName)),
      ("size", .int(file.size)),
      ("file_md5", .null),
      ("file_sha1", .null),
      ("file_sha256", .string(file.sha256)),
    ])
  }

  /// `present response[:package_file]`: the record itself, as the generic packages
  /// documentation shows it; `file.url` is the hashed storage path of the project's files.
  static func storedFile(_ file: PackageFileRecord, projectID: Int) -> JSONValue {
    let hash = SHA256.hex(of: Array(String(projectID).utf8))
    let url =
      "/\(hash.prefix(2))/\(hash.dropFirst(2).prefix(2))/\(hash)/packages/\(file.packageID)"
      + "/files/\(file.id)/\(file.fileName)"
    let time = JSONValue.string(Timestamps.iso8601(file.createdAt))
    return .object([
      ("id", .int(file.id)),
      ("package_id", .int(file.packageID)),
      ("created_at", time),
      ("updated_at", time),
      ("size", .int(file.size)),
      ("file_store", .int(1)),
      ("file_md5", .null),
      ("file_sha1", .null),
      ("file_name", .string(file.fileName)),
      ("file", .object([("url", .string(url))])),
      ("file_sha256", .string(file.sha256)),
      ("verification_retry_at", .null),
      ("verified_at", .null),
      ("verification_failure", .null),
      ("verification_retry_count", .null),
      ("verification_checksum", .null),
      ("verification_state", .int(0)),
      ("verification_started_at", .null),
      ("new_file_path", .null),
    ])
  }
}
