import Foundation
import Testing

@testable import ReleaseLinkerCore

/// Stored (uncompressed) zips built byte by byte, so each test controls exactly what the local
/// headers and the central directory say.
private struct ZipBuilder {
  var entries: [(central: String, local: String, data: [UInt8])] = []
  var prefix: [UInt8] = []
  var comment: [UInt8] = []
  var zip64 = false
  var withEnd = true

  mutating func add(_ name: String, localName: String? = nil, _ text: String = "data") {
    entries.append((name, localName ?? name, Array(text.utf8)))
  }

  func bytes() -> [UInt8] {
    var out = prefix
    var offsets: [Int] = []
    let crc: UInt32 = 0
    for entry in entries {
      offsets.append(out.count - prefix.count)
      out += le32(0x0403_4b50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0)
      out += le32(crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
      out += le16(UInt16(entry.local.utf8.count)) + le16(0) + Array(entry.local.utf8) + entry.data
    }
    let directoryStart = out.count - prefix.count
    for (index, entry) in entries.enumerated() {
      let extra: [UInt8] = zip64 ? le16(1) + le16(8) + le64(UInt64(offsets[index])) : []
      out += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0)
      out += le32(crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
      out += le16(UInt16(entry.central.utf8.count)) + le16(UInt16(extra.count)) + le16(0)
      out += le16(0) + le16(0) + le32(0)
      out += le32(zip64 ? 0xFFFF_FFFF : UInt32(offsets[index]))
      out += Array(entry.central.utf8) + extra
    }
    let directorySize = out.count - prefix.count - directoryStart
    guard withEnd else { return out }
    if zip64 {
      let record = out.count - prefix.count
      out += le32(0x0606_4b50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
      out += le64(UInt64(entries.count)) + le64(UInt64(entries.count))
      out += le64(UInt64(directorySize)) + le64(UInt64(directoryStart))
      out += le32(0x0706_4b50) + le32(0) + le64(UInt64(record)) + le32(1)
      out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(0xFFFF) + le16(0xFFFF)
      out += le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF)
    } else {
      out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(entries.count))
      out +=
        le16(UInt16(entries.count)) + le32(UInt32(directorySize)) + le32(UInt32(directoryStart))
    }
    out += le16(UInt16(comment.count)) + comment
    return out
  }

  private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
  private func le32(_ value: UInt32) -> [UInt8] {
    le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16))
  }
  private func le64(_ value: UInt64) -> [UInt8] {
    le32(UInt32(value & 0xFFFF_FFFF)) + le32(UInt32(value >> 32))
  }
}

@Suite struct ZipCentralDirectoryTests {
  private func verify(_ zip: ZipBuilder) throws(ZipProblem) -> Int {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("zip-\(UUID().uuidString).zip").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(zip.bytes()))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let descriptor = open(path, O_RDONLY)
    defer { close(descriptor) }
    return try ZipCentralDirectory.verify(descriptor: descriptor)
  }

  private func reason(_ zip: ZipBuilder) -> String? {
    do {
      _ = try verify(zip)
      return nil
    } catch {
      return error.reason
    }
  }

  @Test func aConsistentZipPasses() throws {
    var zip = ZipBuilder()
    for name in ["bin/a", "bin/b", "docs/Résumé.md"] { zip.add(name) }
    #expect(try verify(zip) == 3)
    zip.comment = Array("a comment with PK\u{05}\u{06} inside".utf8)
    #expect(try verify(zip) == 3)
  }

  @Test func namesThatDisagreeAreRefused() throws {
    var zip = ZipBuilder()
    zip.add("bin/other")
    zip.add("bin/real.txt", localName: "bin/fake.txt")
    let message = try #require(reason(zip))
    #expect(message.contains("'bin/real.txt'") && message.contains("'bin/fake.txt'"))
    var longer = ZipBuilder()
    longer.add("a", localName: "a-much-longer-name")
    #expect(reason(longer) != nil)
  }

  @Test func aZipWithoutItsEndRecordIsRefused() throws {
    var zip = ZipBuilder()
    zip.add("bin/a")
    zip.withEnd = false
    #expect(try #require(reason(zip)).contains("end-of-central-directory record is missing"))
  }

  @Test func dataInFrontOfTheZipShiftsEveryOffset() throws {
    var zip = ZipBuilder()
    zip.prefix = Array(repeating: 0x90, count: 1000)
    zip.add("bin/a")
    zip.add("bin/b")
    #expect(try verify(zip) == 2)
  }

  @Test func zip64DirectoriesAreRead() throws {
    var zip = ZipBuilder()
    zip.zip64 = true
    zip.add("bin/a")
    zip.add("bin/b")
    #expect(try verify(zip) == 2)
    zip.add("bin/c", localName: "bin/x")
    #expect(reason(zip) != nil)
  }

  @Test func theArchiveReaderRefusesADisagreeingZip() throws {
    var zip = ZipBuilder()
    zip.add("bin/real.txt", localName: "bin/fake.txt", "hello")
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("zip-\(UUID().uuidString).zip").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(zip.bytes()))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let reader = try ArchiveReader(path: path)
    #expect(throws: ArchiveError.self) { _ = try reader.nextEntry() }
  }
}
