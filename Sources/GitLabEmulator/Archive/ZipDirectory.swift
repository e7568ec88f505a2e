/// The entries of a zip archive, read from its central directory (APPNOTE.TXT 4.3.12–4.3.16,
/// with the ZIP64 records of 4.3.14–4.3.15 and the extra field of 4.5.3), as GitLab's Workhorse
/// reads a job's `artifacts.zip` to serve one file of it. Written for the emulator alone: it
/// shares nothing with the archive code of the tool it tests.
struct ZipDirectory {
  struct Entry: Equatable {
    var name: String
    /// 0 stored, 8 deflated; the only methods Workhorse's Go `archive/zip` serves.
    var method: Int
    var compressedSize: Int
    var size: Int
    var localHeaderOffset: Int
    var isEncrypted: Bool

    var isDirectory: Bool { name.hasSuffix("/") }
  }

  var entries: [Entry]

  /// Reads the directory through `source`; `nil` when the bytes are not a zip archive.
  init?(_ source: some ZipSource) {
    guard let end = Self.endRecord(source) else { return nil }
    var entries: [Entry] = []
    var offset = end.directoryOffset
    let directoryEnd = end.directoryOffset + end.directorySize
    while entries.count < end.count, offset + 46 <= directoryEnd {
      guard let fixed = source.bytes(at: offset, count: 46), fixed.uint32(0) == 0x0201_4b50 else {
        return nil
      }
      let nameLength = fixed.uint16(28)
      let extraLength = fixed.uint16(30)
      let commentLength = fixed.uint16(32)
      guard let variable = source.bytes(at: offset + 46, count: nameLength + extraLength) else {
        return nil
      }
      var entry = Entry(
        name: String(decoding: variable[0..<nameLength], as: UTF8.self),
        method: fixed.uint16(10), compressedSize: fixed.uint32(20), size: fixed.uint32(24),
        localHeaderOffset: fixed.uint32(42), isEncrypted: fixed.uint16(8) & 1 == 1)
      Self.applyZip64(Array(variable[nameLength...]), to: &entry)
      entries.append(entry)
      offset += 46 + nameLength + extraLength + commentLength
    }
    self.entries = entries
  }

  func entry(named name: String) -> Entry? {
    entries.last { $0.name == name }
  }

  /// Where an entry's data starts: after its local header, whose name and extra field may differ
  /// in length from the central directory's copy.
  static func dataOffset(of entry: Entry, in source: some ZipSource) -> Int? {
    guard let local = source.bytes(at: entry.localHeaderOffset, count: 30),
      local.uint32(0) == 0x0403_4b50
    else { return nil }
    return entry.localHeaderOffset + 30 + local.uint16(26) + local.uint16(28)
  }

  private struct EndRecord {
    var count: Int
    var directorySize: Int
    var directoryOffset: Int
  }

  /// The end of central directory record is in the last 22 bytes plus a comment of up to 64 KiB;
  /// when its fields are saturated, the ZIP64 record that its locator points at holds them.
  private static func endRecord(_ source: some ZipSource) -> EndRecord? {
    let tailLength = min(source.size, 22 + 0xFFFF)
    guard tailLength >= 22, let tail = source.bytes(at: source.size - tailLength, count: tailLength)
    else { return nil }
    guard
      let start = stride(from: tail.count - 22, through: 0, by: -1).first(where: {
        tail.uint32($0) == 0x0605_4b50
      })
    else { return nil }
    let position = source.size - tailLength + start
    var record = EndRecord(
      count: tail.uint16(start + 10), directorySize: tail.uint32(start + 12),
      directoryOffset: tail.uint32(start + 16))
    let saturated =
      record.count == 0xFFFF || record.directorySize == 0xFFFF_FFFF
      || record.directoryOffset == 0xFFFF_FFFF
    if saturated, position >= 20, let locator = source.bytes(at: position - 20, count: 20),
      locator.uint32(0) == 0x0706_4b50,
      let zip64 = source.bytes(at: locator.uint64(8), count: 56), zip64.uint32(0) == 0x0606_4b50
    {
      record = EndRecord(
        count: zip64.uint64(32), directorySize: zip64.uint64(40), directoryOffset: zip64.uint64(48))
    }
    return record
  }

  /// The ZIP64 extra field holds, in this order, only the values saturated in the fixed fields.
  private static func applyZip64(_ extra: [UInt8], to entry: inout Entry) {
    var offset = 0
    while offset + 4 <= extra.count {
      let tag = extra.uint16(offset)
      let length = extra.uint16(offset + 2)
      let body = offset + 4
      guard body + length <= extra.count else { return }
      if tag == 0x0001 {
        var cursor = body
        func next() -> Int? {
          guard cursor + 8 <= body + length else { return nil }
          defer { cursor += 8 }
          return extra.uint64(cursor)
        }
        if entry.size == 0xFFFF_FFFF, let value = next() { entry.size = value }
        if entry.compressedSize == 0xFFFF_FFFF, let value = next() { entry.compressedSize = value }
        if entry.localHeaderOffset == 0xFFFF_FFFF, let value = next() {
          entry.localHeaderOffset = value
        }
        return
      }
      offset = body + length
    }
  }
}

/// Random access to an archive's bytes, on disk or in memory.
protocol ZipSource {
  var size: Int { get }
  /// Exactly `count` bytes from `offset`, or `nil` when they are not all there.
  func bytes(at offset: Int, count: Int) -> [UInt8]?
}

struct ZipBytes: ZipSource {
  var storage: [UInt8]
  var size: Int { storage.count }

  func bytes(at offset: Int, count: Int) -> [UInt8]? {
    guard offset >= 0, count >= 0, offset + count <= storage.count else { return nil }
    return Array(storage[offset..<offset + count])
  }
}

extension [UInt8] {
  fileprivate func uint16(_ offset: Int) -> Int {
    Int(self[offset]) | Int(self[offset + 1]) << 8
  }

  fileprivate func uint32(_ offset: Int) -> Int {
    uint16(offset) | uint16(offset + 2) << 16
  }

  fileprivate func uint64(_ offset: Int) -> Int {
    // Sizes beyond Int.max do not exist on disk; such a field is read as invalid (negative).
    Int(truncatingIfNeeded: UInt64(uint32(offset)) | UInt64(uint32(offset + 4)) << 32)
  }
}
