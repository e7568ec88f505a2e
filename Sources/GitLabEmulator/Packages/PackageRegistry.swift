/// A generic package: a name and a version in a project, holding files (`Packages::Package`).
struct PackageRecord: Sendable {
  var id: Int
  var projectID: Int
  var name: String
  var version: String
  /// `default` or `hidden`; hidden packages are left out of lists but still download.
  var status: String
  var createdAt: Int
  var lastDownloadedAt: Int?
}

/// One uploaded file of a package (`Packages::PackageFile`); its bytes live at `path`.
struct PackageFileRecord: Sendable {
  var id: Int
  var packageID: Int
  var fileName: String
  var size: Int
  var sha256: String
  var createdAt: Int
  var path: String
}

/// The project's package registry as the generic packages API sees it, with the settings GitLab
/// has for it.
struct PackageRegistry: Sendable {
  /// Oldest first; ids only grow.
  private(set) var packages: [PackageRecord] = []
  private(set) var files: [PackageFileRecord] = []
  private var nextPackageID = 1
  private var nextFileID = 1

  /// `generic_packages_max_file_size`, GitLab's default plan limit of 5 GiB (docs/api/plan_limits:
  /// `"generic_packages_max_file_size": 5368709120`); 0 means no limit.
  var maximumFileSize = 5 << 30
  /// Projects whose group turned on "Reject duplicates" for generic packages
  /// (`Namespace::PackageSetting#generic_duplicates_allowed` false).
  var projectsRejectingDuplicates: Set<Int> = []
  /// Fail the losers of concurrent first uploads into a package that does not exist yet, as
  /// GitLab's racing `find_or_create_package!` does (docs: "may face partial failures with
  /// HTTP 500").
  var failsConcurrentCreation = false

  func package(projectID: Int, name: String, version: String) -> PackageRecord? {
    packages.first { $0.projectID == projectID && $0.name == name && $0.version == version }
  }

  func package(id: Int, projectID: Int) -> PackageRecord? {
    packages.first { $0.id == id && $0.projectID == projectID }
  }

  func files(ofPackage id: Int) -> [PackageFileRecord] {
    files.filter { $0.packageID == id }
  }

  /// The most recent file of that name (`PackageFileFinder`: `recent.first`).
  func latestFile(ofPackage id: Int, named name: String) -> PackageFileRecord? {
    files.last { $0.packageID == id && $0.fileName == name }
  }

  /// A file of a package of the project.
  func file(id: Int, projectID: Int) -> (PackageRecord, PackageFileRecord)? {
    guard let file = files.first(where: { $0.id == id }),
      let package = package(id: file.packageID, projectID: projectID)
    else { return nil }
    return (package, file)
  }

  mutating func createPackage(projectID: Int, name: String, version: String, status: String)
    -> PackageRecord
  {
    let package = PackageRecord(
      id: nextPackageID, projectID: projectID, name: name, version: version, status: status,
      createdAt: Timestamps.now())
    nextPackageID += 1
    packages.append(package)
    return package
  }

  mutating func setStatus(_ status: String, ofPackage id: Int) {
    if let index = packages.firstIndex(where: { $0.id == id }) { packages[index].status = status }
  }

  mutating func touchDownloaded(package id: Int) {
    if let index = packages.firstIndex(where: { $0.id == id }) {
      packages[index].lastDownloadedAt = Timestamps.now()
    }
  }

  /// Takes the next file id; the file is added with `add` once its bytes are in place.
  mutating func takeFileID() -> Int {
    defer { nextFileID += 1 }
    return nextFileID
  }

  mutating func add(_ file: PackageFileRecord) {
    files.append(file)
  }

  mutating func removeFile(id: Int) -> PackageFileRecord? {
    guard let index = files.firstIndex(where: { $0.id == id }) else { return nil }
    return files.remove(at: index)
  }
}
