/// The generic package registry as uploading reads and writes it.
///
/// ``GenericPackagesClient`` provides this for a project; tests may substitute a model.
public protocol PackageRegistry: Sendable {
  /// The generic package of exactly this name and version, or nil.
  func findPackage(name: String, version: String) throws -> GenericPackage?
  /// Every file of the package, all pages.
  func files(ofPackage packageID: Int) throws -> [PackageFile]
  /// Streams one file; nil when the server does not describe what it stored. Implementations must
  /// not resend an upload whose outcome is unknown: they throw, and the uploader looks first.
  func upload(
    name: String, version: String, fileName: String, status: String, body: UploadBody
  ) throws -> PackageFile?
  /// Deletes one file of a package.
  func deleteFile(packageID: Int, fileID: Int) throws
}
