/// The generic package registry: its settings, and what it holds.
extension GitLabEmulator {
  /// The largest file an upload may store (GitLab's plan limit `generic_packages_max_file_size`,
  /// 5 GiB by default); 0 lifts the limit. Larger uploads get `400 Bad request - File is too
  /// large`, and what arrived beyond the limit is never written.
  public func setPackageFileSizeLimit(bytes: Int) {
    core.state.withLock { $0.packages.maximumFileSize = max(0, bytes) }
  }

  /// Turns the group setting "Reject duplicates" on (or off) for the project's generic packages:
  /// a second file of the same name in a package is then refused with `400 Bad request -
  /// Duplicate package is not allowed`.
  public func rejectDuplicatePackages(projectID: Int, _ reject: Bool = true) {
    core.state.withLock {
      if reject {
        $0.packages.projectsRejectingDuplicates.insert(projectID)
      } else {
        $0.packages.projectsRejectingDuplicates.remove(projectID)
      }
    }
  }

  /// When on, of several uploads that began while their package did not exist, only the first
  /// to finish is stored; the others get GitLab's `500 Internal Server Error`, as its racing
  /// `find_or_create_package!` gives them.
  public func failConcurrentPackageCreation(_ fail: Bool = true) {
    core.state.withLock { $0.packages.failsConcurrentCreation = fail }
  }

  /// Every package file the registry holds, oldest first.
  public var packageFiles: [EmulatedPackageFile] {
    core.state.withLock { state in
      state.packages.files.compactMap { file in
        guard let package = state.packages.packages.first(where: { $0.id == file.packageID })
        else { return nil }
        return EmulatedPackageFile(
          id: file.id, packageID: package.id, projectID: package.projectID,
          packageName: package.name, packageVersion: package.version,
          packageStatus: package.status, fileName: file.fileName, size: file.size,
          sha256: file.sha256)
      }
    }
  }

  /// The bytes of the most recent file of that name in that package, if any (read whole: for
  /// small files).
  public func packageFile(projectID: Int, name: String, version: String, file: String) -> [UInt8]? {
    let path = core.state.withLock { state -> String? in
      guard let package = state.packages.package(projectID: projectID, name: name, version: version)
      else { return nil }
      return state.packages.latestFile(ofPackage: package.id, named: file)?.path
    }
    guard let path, let size = ArtifactRoutes.fileSize(path), let source = FileBytes(path: path)
    else { return nil }
    return source.bytes(at: 0, count: size)
  }
}

/// A package file as the emulator holds it.
public struct EmulatedPackageFile: Sendable, Equatable {
  public var id: Int
  public var packageID: Int
  public var projectID: Int
  public var packageName: String
  public var packageVersion: String
  /// `default` or `hidden`.
  public var packageStatus: String
  public var fileName: String
  public var size: Int
  /// Lowercase hex.
  public var sha256: String
}
