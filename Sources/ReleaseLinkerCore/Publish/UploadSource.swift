#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An asset's bytes, opened as many times as they are needed: to hash them, to upload them, and
/// again from the start when an upload is retried. A file is read with `read(2)`; an archive entry
/// straight out of libarchive, by opening the archive afresh and skipping to the entry. Nothing is
/// copied to a temporary file and nothing is held beyond one block.
public struct UploadSource: Sendable {
  public let origin: AssetOrigin
  public let size: Int64

  public init(origin: AssetOrigin, size: Int64) {
    self.origin = origin
    self.size = size
  }

  /// A reader at the first byte.
  public func open() throws -> any UploadReader {
    switch origin {
    case .file(let path): try FileUploadReader(path: path)
    case .archiveEntry(let archive, let index):
      try ArchiveEntryUploadReader(archive: archive, index: index)
    }
  }

  /// The body of a PUT that streams these bytes, reporting the bytes sent to `progress`.
  public func body(progress: (@Sendable (Int64) -> Void)? = nil) -> UploadBody {
    let source = self
    return UploadBody(length: size, open: { try source.open() }, progress: progress)
  }

  /// The SHA-256 of the bytes, read once more (the same pass a scan makes).
  public func sha256() throws -> String {
    let reader = try open()
    let (digest, total) = try StreamDigest.sha256(sizeHint: size) {
      buffer throws(AnyReadError) in
      do { return try reader.read(into: buffer) } catch { throw AnyReadError(error) }
    }
    guard total == size else { throw UploadSourceChangedError(announced: size, actual: total) }
    return digest
  }
}

/// Carries any error through ``StreamDigest``'s typed `throws`.
struct AnyReadError: Error {
  let underlying: any Error
  init(_ underlying: any Error) { self.underlying = underlying }
}

extension UploadSource {
  /// Unwraps the error of a read made through ``StreamDigest``.
  static func unwrap(_ error: any Error) -> any Error {
    (error as? AnyReadError)?.underlying ?? error
  }
}

/// A regular file read front to back.
final class FileUploadReader: UploadReader {
  private let descriptor: Int32
  private let path: String

  init(path: String) throws(DataError) {
    self.path = path
    descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw DataError("Cannot read '\(path)' to upload it: \(String(cString: strerror(errno))).")
    }
    // The file is read once, in order: the kernel can read ahead generously.
    _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
  }

  deinit { close(descriptor) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    while true {
      let count = systemRead(descriptor, buffer)
      if count >= 0 { return count }
      if errno != EINTR {
        throw DataError("Cannot read '\(path)' to upload it: \(String(cString: strerror(errno))).")
      }
    }
  }
}

/// `read(2)`, named apart from the readers' own `read(into:)`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
  read(descriptor, buffer.baseAddress, buffer.count)
}

/// One entry of an archive, decompressed as it is read: the archive is opened anew and the entries
/// before it are skipped (their data is never read).
final class ArchiveEntryUploadReader: UploadReader {
  private let reader: ArchiveReader

  init(archive: String, index: Int) throws(ArchiveError) {
    reader = try ArchiveReader(path: archive)
    for _ in 0..<index {
      guard try reader.nextEntry() != nil else { throw Self.missing(archive) }
    }
    guard let entry = try reader.nextEntry(), entry.kind == .regularFile else {
      throw Self.missing(archive)
    }
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    try reader.readData(into: buffer)
  }

  private static func missing(_ archive: String) -> ArchiveError {
    ArchiveError(
      archivePath: archive, reason: "the entry found by the scan is no longer in it (it changed)")
  }
}
