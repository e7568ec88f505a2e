#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Checks that a zip on disk names every entry the same in its central directory and in the local
/// header in front of the entry's data.
///
/// A zip stores each name twice. GitLab serves a job's artifacts by the central directory (its
/// Workhorse reads zips with Go's `archive/zip`), while libarchive, even reading a file it can
/// seek in, takes each entry's name from its local header. A zip whose two copies disagree would
/// be linked under names GitLab does not serve, so it is refused; so is a zip without its
/// end-of-central-directory record (cut short, or not a zip GitLab could read at all). The
/// directory is read a piece at a time, so memory stays flat whatever the number of entries.
enum ZipCentralDirectory {
  private static let endSignature: UInt32 = 0x0605_4b50
  private static let zip64EndSignature: UInt32 = 0x0606_4b50
  private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
  private static let directorySignature: UInt32 = 0x0201_4b50
  private static let localSignature: UInt32 = 0x0403_4b50

  /// Throws a reason (for ``ArchiveError``) when the zip readable through `descriptor` is not
  /// consistent; returns the number of entries its central directory lists.
  @discardableResult
  static func verify(descriptor: Int32) throws(ZipProblem) -> Int {
    let file = PositionalReader(descriptor: descriptor)
    let size = try file.size()
    let end = try findEnd(file, size: size)
    var entries = Int64(try file.uint16(at: end + 10))
    var directorySize = Int64(try file.uint32(at: end + 12))
    var directoryOffset = Int64(try file.uint32(at: end + 16))
    var directoryEnd = end
    if entries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
      // ZIP64: the real values are in the ZIP64 end record the locator points at.
      let locator = end - 20
      guard locator >= 0, try file.uint32(at: locator) == zip64LocatorSignature else {
        throw ZipProblem("its ZIP64 end-of-central-directory locator is missing")
      }
      let record = Int64(bitPattern: try file.uint64(at: locator + 8))
      guard record >= 0, record + 56 <= size, try file.uint32(at: record) == zip64EndSignature
      else {
        throw ZipProblem("its ZIP64 end-of-central-directory record is missing")
      }
      entries = Int64(bitPattern: try file.uint64(at: record + 32))
      directorySize = Int64(bitPattern: try file.uint64(at: record + 40))
      directoryOffset = Int64(bitPattern: try file.uint64(at: record + 48))
      directoryEnd = record
    }
    // Data in front of the zip (a self-extracting stub) shifts every offset by the same amount.
    let base = directoryEnd - directorySize - directoryOffset
    guard entries >= 0, directorySize >= 0, directoryOffset >= 0, base >= 0 else {
      throw ZipProblem("its end-of-central-directory record points outside the file")
    }
    var directory = SequentialReader(file: file, size: size, position: base + directoryOffset)
    for index in 0..<entries {
      let header = try directory.take(46)
      guard header.uint32(0) == directorySignature else {
        throw ZipProblem("entry \(index + 1) of its central directory is damaged")
      }
      let nameLength = Int(header.uint16(28))
      let extraLength = Int(header.uint16(30))
      let commentLength = Int(header.uint16(32))
      var localOffset = Int64(header.uint32(42))
      let name = Array(try directory.take(nameLength))
      let extra = try directory.take(extraLength)
      _ = try directory.take(commentLength)
      if localOffset == 0xFFFF_FFFF {
        localOffset = try zip64LocalOffset(
          Array(extra), compressedIsWide: header.uint32(20) == 0xFFFF_FFFF,
          uncompressedIsWide: header.uint32(24) == 0xFFFF_FFFF)
      }
      // One read covers the local header and, when it is the same length, its name.
      let local = base + localOffset
      guard local >= 0, local + 30 + Int64(nameLength) <= size else {
        throw ZipProblem(
          "the central directory's entry '\(shown(name))' points at no local header")
      }
      let localHeader = try file.bytes(at: local, count: 30 + nameLength)[...]
      guard localHeader.uint32(0) == localSignature else {
        throw ZipProblem(
          "the central directory's entry '\(shown(name))' points at no local header")
      }
      let localNameLength = Int(localHeader.uint16(26))
      let localName =
        localNameLength == nameLength
        ? Array(localHeader.dropFirst(30))
        : try file.bytes(at: local + 30, count: localNameLength)
      guard localName == name else {
        throw ZipProblem(
          "the entry named '\(shown(name))' in its central directory is named "
            + "'\(shown(localName))' in its local header; GitLab serves the central directory's "
            + "names, so links made from this zip would point at the wrong files")
      }
    }
    return Int(entries)
  }

  /// The last end-of-central-directory record: 22 bytes plus a comment of at most 65,535, so it
  /// starts within the file's last 65,557 bytes.
  private static func findEnd(_ file: PositionalReader, size: Int64) throws(ZipProblem) -> Int64 {
    let window = min(size, 22 + 65_535)
    let tail = try file.bytes(at: size - window, count: Int(window))
    var index = tail.count - 22
    while index >= 0 {
      if tail[index] == 0x50, tail[index + 1] == 0x4b, tail[index + 2] == 0x05,
        tail[index + 3] == 0x06
      {
        let commentLength = Int(tail[index + 20]) | Int(tail[index + 21]) << 8
        if index + 22 + commentLength <= tail.count { return size - window + Int64(index) }
      }
      index -= 1
    }
    throw ZipProblem(
      "its end-of-central-directory record is missing (the file is cut short, or not a complete "
        + "zip), and GitLab reads zips by that record")
  }

  /// The local header offset from a ZIP64 extra field (id 1), whose values come in a fixed order
  /// and are present only for the fields the entry marked as too wide.
  private static func zip64LocalOffset(
    _ extra: [UInt8], compressedIsWide: Bool, uncompressedIsWide: Bool
  ) throws(ZipProblem) -> Int64 {
    let fields = extra[...]
    var field = 0
    while field + 4 <= extra.count {
      let id = fields.uint16(field)
      let size = Int(fields.uint16(field + 2))
      if id == 1 {
        var value = field + 4
        if uncompressedIsWide { value += 8 }
        if compressedIsWide { value += 8 }
        guard value + 8 <= field + 4 + size, value + 8 <= extra.count else { break }
        return Int64(bitPattern: fields.uint64(value))
      }
      field += 4 + size
    }
    throw ZipProblem("a ZIP64 entry of its central directory lacks its local header offset")
  }

  /// A name for a message: valid UTF-8 as it is, else with replacement characters.
  private static func shown(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
  }
}

/// Why a zip was refused, as a phrase that follows "Cannot read the archive '…': ".
struct ZipProblem: Error {
  let reason: String

  init(_ reason: String) {
    self.reason = reason
  }
}

/// Little-endian reads at absolute offsets (`pread`, which leaves the descriptor's own offset
/// alone, so libarchive can go on reading through the same descriptor).
private struct PositionalReader {
  let descriptor: Int32

  func size() throws(ZipProblem) -> Int64 {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw ZipProblem("its size cannot be read: \(String(cString: strerror(errno)))")
    }
    return Int64(info.st_size)
  }

  func bytes(at offset: Int64, count: Int) throws(ZipProblem) -> [UInt8] {
    guard count > 0 else { return [] }
    guard offset >= 0 else { throw ZipProblem("it points before its own start") }
    var buffer = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let read = buffer.withUnsafeMutableBytes { raw in
        pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
      }
      if read < 0 && errno == EINTR { continue }
      guard read > 0 else {
        throw ZipProblem(
          read == 0
            ? "it ends before the data its central directory describes"
            : "it cannot be read: \(String(cString: strerror(errno)))")
      }
      done += read
    }
    return buffer
  }

  func uint16(at offset: Int64) throws(ZipProblem) -> UInt16 {
    try bytes(at: offset, count: 2)[...].uint16(0)
  }

  func uint32(at offset: Int64) throws(ZipProblem) -> UInt32 {
    try bytes(at: offset, count: 4)[...].uint32(0)
  }

  func uint64(at offset: Int64) throws(ZipProblem) -> UInt64 {
    try bytes(at: offset, count: 8)[...].uint64(0)
  }
}

/// Reads a region front to back in large pieces: the central directory of 100,000 entries is
/// a few reads, not hundreds of thousands.
private struct SequentialReader {
  let file: PositionalReader
  let size: Int64
  var position: Int64
  private var buffer: [UInt8] = []
  private var bufferStart: Int64 = 0

  init(file: PositionalReader, size: Int64, position: Int64) {
    self.file = file
    self.size = size
    self.position = position
  }

  mutating func take(_ count: Int) throws(ZipProblem) -> ArraySlice<UInt8> {
    guard count > 0 else { return [] }
    if position < bufferStart || position + Int64(count) > bufferStart + Int64(buffer.count) {
      let wanted = min(max(Int64(count), 1 << 20), size - position)
      guard wanted >= Int64(count) else {
        throw ZipProblem("it ends inside its central directory")
      }
      buffer = try file.bytes(at: position, count: Int(wanted))
      bufferStart = position
    }
    let start = Int(position - bufferStart)
    position += Int64(count)
    return buffer[start..<start + count]
  }
}

extension ArraySlice<UInt8> {
  /// Little-endian integers at `offset` from the slice's start.
  fileprivate func uint16(_ offset: Int) -> UInt16 {
    let i = startIndex + offset
    return UInt16(self[i]) | UInt16(self[i + 1]) << 8
  }

  fileprivate func uint32(_ offset: Int) -> UInt32 {
    UInt32(uint16(offset)) | UInt32(uint16(offset + 2)) << 16
  }

  fileprivate func uint64(_ offset: Int) -> UInt64 {
    UInt64(uint32(offset)) | UInt64(uint32(offset + 4)) << 32
  }
}
