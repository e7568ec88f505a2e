/// One file of a job's artifacts archive, found through the archive's central directory and sent
/// as it is stored: a slice of the archive, or inflated on the way out.
enum ArtifactEntries {
  enum Lookup {
    case found(EmulatorResponse.Body)
    /// The archive has no regular file of that name.
    case missing
    /// There is no archive the emulator can read (none, not a zip, or in object storage).
    case noArchive
  }

  static func find(_ name: String, in source: ArtifactSource?) -> Lookup {
    switch source {
    case .bytes(let bytes)?:
      let archive = ZipBytes(storage: bytes)
      guard let directory = ZipDirectory(archive) else { return .noArchive }
      guard let entry = servable(name, in: directory),
        let start = ZipDirectory.dataOffset(of: entry, in: archive),
        let data = archive.bytes(at: start, count: entry.compressedSize)
      else { return .missing }
      if entry.method == 0 { return .found(.bytes(data)) }
      return Inflater.inflateAll(data, size: entry.size).map { .found(.bytes($0)) } ?? .missing
    case .file(let path)?:
      guard let archive = FileBytes(path: path), let directory = ZipDirectory(archive) else {
        return .noArchive
      }
      guard let entry = servable(name, in: directory),
        let start = ZipDirectory.dataOffset(of: entry, in: archive),
        start + entry.compressedSize <= archive.size
      else { return .missing }
      if entry.method == 0 { return .found(.file(path: path, offset: start, length: entry.size)) }
      return .found(
        .deflated(
          path: path, offset: start, compressedLength: entry.compressedSize, length: entry.size))
    case .redirect?, nil:
      return .noArchive
    }
  }

  /// A regular file stored or deflated without encryption; anything else is not served.
  private static func servable(_ name: String, in directory: ZipDirectory) -> ZipDirectory.Entry? {
    guard let entry = directory.entry(named: name), !entry.isDirectory, !entry.isEncrypted,
      entry.method == 0 || entry.method == 8
    else { return nil }
    return entry
  }

  /// `Gitlab::Ci::Build::Artifacts::Path#valid?`: no NUL byte, no `..` segment.
  static func isValidPath(_ path: String) -> Bool {
    !path.contains("\0") && !path.split(separator: "/").contains("..")
  }
}
