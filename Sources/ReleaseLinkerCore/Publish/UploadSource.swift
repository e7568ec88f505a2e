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
  /// Readers of compressed-stream archives left where the last entry ended, so that the next
  /// entry of the same archive continues the pass instead of decompressing from the start again.
  let cursors: ArchiveCursors?
  /// Sources with the same key are read in one pass, in order (entries of one tar.gz); nil for
  /// sources that can be read at any time side by side.
  public let passKey: String?

  public init(
    origin: AssetOrigin, size: Int64, cursors: ArchiveCursors? = nil, passKey: String? = nil
  ) {
    self.origin = origin
    self.size = size
    self.cursors = cursors
    self.passKey = passKey
  }

  /// A reader at the first byte.
  public func open() throws -> any UploadReader {
    switch origin {
    case .file(let path):
      return try FileUploadReader(path: path)
    case .archiveEntry(let archive, let index):
      return try ArchiveEntryUploadReader(archive: archive, index: index, cursors: cursors)
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

/// One entry of an archive, decompressed as it is read. The archive is opened anew and the entries
/// before it are skipped (their data is never handed out), unless a reader left earlier in the
/// same archive, before this entry, can go on from there.
final class ArchiveEntryUploadReader: UploadReader {
  private let cursor: ArchiveCursor
  private let cursors: ArchiveCursors?

  init(archive: String, index: Int, cursors: ArchiveCursors?) throws(ArchiveError) {
    self.cursors = cursors
    let cursor: ArchiveCursor
    if let idle = cursors?.take(archive: archive, before: index) {
      cursor = idle
    } else {
      cursor = try ArchiveCursor(archive)
    }
    var entry: ArchiveEntry?
    while cursor.index < index {
      entry = try cursor.reader.nextEntry()
      guard entry != nil else { throw Self.missing(archive) }
      cursor.index += 1
    }
    guard entry?.kind == .regularFile else { throw Self.missing(archive) }
    self.cursor = cursor
  }

  deinit { cursors?.give(back: cursor) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    try cursor.reader.readData(into: buffer)
  }

  private static func missing(_ archive: String) -> ArchiveError {
    ArchiveError(
      archivePath: archive, reason: "the entry found by the scan is no longer in it (it changed)")
  }
}

/// An archive opened for reading and the position of the entry it is at (-1 before the first).
final class ArchiveCursor {
  let archive: String
  let reader: ArchiveReader
  var index = -1

  init(_ archive: String) throws(ArchiveError) {
    self.archive = archive
    reader = try ArchiveReader(path: archive)
  }
}

/// Idle ``ArchiveCursor``s by archive. A cursor is used by one reader at a time: taken out under the
/// lock, given back when its reader is done.
public final class ArchiveCursors: Sendable {
  /// `@unchecked Sendable`: a cursor moves between threads only through the lock, owned by one side
  /// at a time.
  private struct Idle: @unchecked Sendable {
    let cursor: ArchiveCursor
  }

  private let idle = Locked<[String: Idle]>([:])

  public init() {}

  /// A cursor of `archive` at an entry before `index`, if one is idle.
  func take(archive: String, before index: Int) -> ArchiveCursor? {
    idle.withLock { idle in
      guard let found = idle[archive], found.cursor.index < index else { return nil }
      idle[archive] = nil
      return found.cursor
    }
  }

  func give(back cursor: ArchiveCursor) {
    let kept = Idle(cursor: cursor)
    idle.withLock { idle in
      // Keep the one furthest on; another is closed with its reader.
      if let current = idle[cursor.archive], current.cursor.index > cursor.index { return }
      idle[cursor.archive] = kept
    }
  }
}
