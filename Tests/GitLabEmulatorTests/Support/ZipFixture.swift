import Foundation

/// Zip archives built at test time: by Info-ZIP's `zip` (deflated and stored entries, as a runner
/// uploads `artifacts.zip`), or written here with every size and offset in ZIP64 records.
final class ZipFixture {
  let folder: URL
  let archive: URL

  /// Writes `files` (relative paths) into a fresh folder and zips them with `zip -q -X ARGUMENTS`.
  init(_ files: [(String, [UInt8])], zipArguments: [String] = []) throws {
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("emulator-zip-\(UUID().uuidString)")
    archive = folder.appendingPathComponent("artifacts.zip")
    let content = folder.appendingPathComponent("content")
    for (name, bytes) in files {
      let url = content.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
    }
    let zip = Process()
    zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    zip.arguments = ["zip", "-q", "-X", "-r"] + zipArguments + [archive.path, "."]
    zip.currentDirectoryURL = content
    try zip.run()
    zip.waitUntilExit()
    guard zip.terminationStatus == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: archive.path])
    }
  }

  var bytes: [UInt8] { (try? [UInt8](Data(contentsOf: archive))) ?? [] }

  deinit { try? FileManager.default.removeItem(at: folder) }

  /// A stored-only archive whose central directory keeps every size and offset in the ZIP64 extra
  /// field and whose end record points at a ZIP64 end record, as writers do past 4 GiB.
  static func zip64(_ files: [(String, [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    func le(_ value: Int, _ width: Int) -> [UInt8] {
      (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
    for (name, data) in files {
      let offset = out.count
      let nameBytes = Array(name.utf8)
      let crc = crc32(data)
      let localExtra = le(1, 2) + le(16, 2) + le(data.count, 8) + le(data.count, 8)
      out += le(0x0403_4b50, 4) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4)
      out += le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(nameBytes.count, 2)
      out += le(localExtra.count, 2) + nameBytes + localExtra + data
      let extra =
        le(1, 2) + le(24, 2) + le(data.count, 8) + le(data.count, 8) + le(offset, 8)
      central += le(0x0201_4b50, 4) + le(45, 2) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4)
      central += le(crc, 4) + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(nameBytes.count, 2)
      central += le(extra.count, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4)
      central += le(0xFFFF_FFFF, 4) + nameBytes + extra
    }
    let directoryOffset = out.count
    out += central
    let zip64End = out.count
    out += le(0x0606_4b50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4)
    out += le(files.count, 8) + le(files.count, 8) + le(central.count, 8) + le(directoryOffset, 8)
    out += le(0x0706_4b50, 4) + le(0, 4) + le(zip64End, 8) + le(1, 4)
    out += le(0x0605_4b50, 4) + le(0, 2) + le(0, 2) + le(0xFFFF, 2) + le(0xFFFF, 2)
    out += le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(0, 2)
    return out
  }

  private static func crc32(_ data: [UInt8]) -> Int {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return Int(crc ^ 0xFFFF_FFFF)
  }
}

/// Bytes that deflate well but are not one repeated value, so inflating them is a real test.
func compressibleBytes(count: Int, seed: UInt64 = 42) -> [UInt8] {
  var state = seed
  var bytes = [UInt8]()
  bytes.reserveCapacity(count)
  let words = Array("release linker artifact raw download generic package ".utf8)
  while bytes.count < count {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let start = Int(state >> 59) % words.count
    bytes += words[start...].prefix(count - bytes.count)
    bytes.append(UInt8(truncatingIfNeeded: state >> 33))
  }
  return Array(bytes.prefix(count))
}
