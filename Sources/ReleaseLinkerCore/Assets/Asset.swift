/// One file that should become a release link: a file under the root, or a regular-file entry of an
/// archive.
public struct Asset: Sendable, Equatable {
  /// The path GitLab serves the file under, relative to the job's artifacts root, `/`-separated.
  public var artifactPath: String
  /// The size in bytes.
  public var size: Int64
  /// The lowercase hex SHA-256 of the content, or nil when checksums are off.
  public var sha256: String?
  /// The job whose artifacts hold the file, when the scan knows it (an `--artifacts-job` download,
  /// or a manifest's entry); nil for the files of the job the links point at by default (`--job-id`,
  /// else `CI_JOB_ID`).
  public var jobID: String?
  /// The manifest (`--manifest`) that listed the asset, as given; nil for an asset scanned in this
  /// run.
  public var manifest: String?
  /// Where the bytes can be read again (to upload them), or nil when the scan could not keep it.
  public var origin: AssetOrigin?

  public init(
    artifactPath: String, size: Int64, sha256: String?, jobID: String? = nil,
    manifest: String? = nil, origin: AssetOrigin? = nil
  ) {
    self.artifactPath = artifactPath
    self.size = size
    self.sha256 = sha256
    self.jobID = jobID
    self.manifest = manifest
    self.origin = origin
  }

  /// The artifact path, quoted, and the manifest that listed it: how messages name the asset.
  public var quotedSource: String {
    "'\(artifactPath)'" + (manifest.map { " (manifest '\($0)')" } ?? "")
  }
}

/// Where an asset's bytes are, so that they can be streamed again after the scan.
public enum AssetOrigin: Sendable, Equatable {
  /// A regular file, by its absolute path.
  case file(path: String)
  /// An entry of an archive on disk: the archive's absolute path and the entry's position among
  /// the archive's headers (0 for the first), which tells apart entries that share a name.
  case archiveEntry(archive: String, index: Int)
}

/// The link an asset should have on the release.
public struct DerivedLink: Sendable, Equatable {
  public var asset: Asset
  public var name: String
  public var url: String
  /// The `direct_asset_path`, valid for GitLab, or nil with `--no-direct-asset-path`.
  public var directAssetPath: String?
  public var linkType: LinkType

  public init(
    asset: Asset, name: String, url: String, directAssetPath: String?, linkType: LinkType
  ) {
    self.asset = asset
    self.name = name
    self.url = url
    self.directAssetPath = directAssetPath
    self.linkType = linkType
  }
}
