import ArgumentParser
import ReleaseLinkerCore

/// Where `--upload` puts the assets.
enum UploadDestination: String, ExpressibleByArgument, CaseIterable {
  /// GitLab's generic package registry.
  case generic
}

extension PackageStatus: ExpressibleByArgument {}

/// `--upload generic` and the package it uploads to, shared by `publish` and `plan`.
struct UploadOptionGroup: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Upload each asset to GitLab's generic package registry and link it to its package file (<project_url>/-/package_files/<id>/download, link type package). Files the package already holds with the same name, size and SHA-256 are not sent again.",
      valueName: "generic"))
  var upload: UploadDestination?

  @Option(
    name: .customLong("package-name"),
    help: ArgumentHelp(
      "Package to upload to (default: the project path's last segment, made valid).",
      valueName: "name"))
  var packageName: String?

  @Option(
    name: .customLong("package-version"),
    help: ArgumentHelp("Package version (default: the tag, made valid).", valueName: "version"))
  var packageVersion: String?

  @Option(
    name: .customLong("package-status"),
    help: ArgumentHelp(
      "default, or hidden to keep the package out of the registry's lists (its files still download).",
      valueName: "status"))
  var packageStatus: PackageStatus?

  @Option(
    name: .customLong("max-file-size"),
    help: ArgumentHelp(
      "Refuse assets larger than this before sending anything: bytes, or with KiB/MiB/GiB (K/M/G) or KB/MB/GB (default: 5GiB, GitLab.com's limit).",
      valueName: "size"),
    transform: UploadOptionGroup.size)
  var maxFileSize: Int64?

  mutating func validate() throws {
    if upload == nil {
      for (given, flag) in [
        (packageName != nil, "--package-name"), (packageVersion != nil, "--package-version"),
        (packageStatus != nil, "--package-status"), (maxFileSize != nil, "--max-file-size"),
      ] where given {
        throw ValidationError("\(flag) applies to --upload generic only.")
      }
    }
  }

  /// The cross-group rules: upload mode chooses the URLs itself and needs the checksums.
  static func validate(_ upload: UploadOptionGroup, assets: AssetOptionGroup) throws {
    guard upload.upload != nil else { return }
    if assets.urlTemplate != nil || assets.refURLs {
      throw ValidationError(
        "--upload generic links each asset to its package file; --url-template and --ref-urls "
          + "cannot be used with it.")
    }
    if assets.noChecksums {
      throw ValidationError(
        "--upload generic compares SHA-256 checksums with the registry's files; drop "
          + "--no-checksums.")
    }
  }

  /// The request the core takes, or nil without `--upload`.
  var request: UploadRequest? {
    guard upload != nil else { return nil }
    return UploadRequest(
      packageName: packageName, packageVersion: packageVersion,
      packageStatus: packageStatus ?? .default,
      maximumFileSize: maxFileSize ?? UploadRequest.defaultMaximumFileSize)
  }

  static func size(_ argument: String) throws -> Int64 {
    guard let bytes = ByteSize.parse(argument) else {
      throw ValidationError(
        "--max-file-size takes a size such as 5GiB, 500MB or 1048576, not '\(argument)'.")
    }
    return bytes
  }
}
