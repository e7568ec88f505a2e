import Foundation
import Testing

/// A generic package upload far larger than anything the emulator may hold: it must go to disk
/// part by part, and come back out the same way.
@Suite struct LargeUploadTests {
  static let megabyte = 1 << 20
  static let size = 300 * megabyte

  /// Chunk `index` of the upload: one random megabyte, with the index written over its start so
  /// no two chunks are alike.
  private static let block: [UInt8] = {
    var generator = SystemRandomNumberGenerator()
    return (0..<megabyte).map { _ in UInt8.random(in: 0...255, using: &generator) }
  }()

  private static func chunk(_ index: Int) -> [UInt8] {
    var chunk = block
    withUnsafeBytes(of: UInt64(index).bigEndian) { chunk.replaceSubrange(0..<8, with: $0) }
    return chunk
  }

  /// `VmRSS` and `VmHWM` (peak resident set) of a process, in KiB.
  private func memory(of pid: Int32) throws -> (resident: Int, peak: Int) {
    let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    func field(_ name: String) -> Int {
      let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
      return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return (field("VmRSS"), field("VmHWM"))
  }

  @Test func a300MegabyteUploadGoesToDiskAndTheEmulatorStaysSmall() throws {
    let storage = FileManager.default.temporaryDirectory
      .appendingPathComponent("emulator-large-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: storage) }
    let emulator = try EmulatorProcess([
      "--project", "24:group/app", "--private-token", "dev:24:developer",
      "--storage-dir", storage.path,
    ])
    let pid = emulator.process.processIdentifier
    let dev = [("PRIVATE-TOKEN", "dev")]
    // Warm up the server's paths first, so the baseline is a serving emulator, not an idle one.
    _ = try HTTP.request(
      emulator.baseURL, "PUT", "/api/v4/projects/24/packages/generic/big/1.0/warm.bin",
      headers: dev, body: Self.chunk(0))
    let before = try memory(of: pid)

    // The digest the emulator must report, from an independent hasher fed the same bytes.
    let hasher = Process()
    hasher.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    hasher.arguments = ["sha256sum"]
    let input = Pipe()
    let output = Pipe()
    hasher.standardInput = input
    hasher.standardOutput = output
    try hasher.run()

    let upload = try HTTPTestConnection(baseURL: emulator.baseURL)
    try upload.sendHead(
      "PUT", "/api/v4/projects/24/packages/generic/big/1.0/big.bin?select=package_file",
      headers: dev, contentLength: Self.size)
    for index in 0..<(Self.size / Self.megabyte) {
      let chunk = Self.chunk(index)
      try upload.sendBody(chunk)
      input.fileHandleForWriting.write(Data(chunk))
    }
    try input.fileHandleForWriting.close()
    let stored = try upload.receive()
    hasher.waitUntilExit()
    let expected = String(
      decoding: output.fileHandleForReading.readDataToEndOfFile().prefix(64), as: UTF8.self)
    let afterUpload = try memory(of: pid)

    #expect(stored.status == 200)
    let record = try #require(stored.json as? [String: Any])
    #expect(record["size"] as? Int == Self.size)
    #expect(record["file_sha256"] as? String == expected)
    let fileID = try #require(record["id"] as? Int)

    // Back out through the web URL, compared as it streams in.
    var offset = 0
    var mismatches = 0
    var expectedChunk = Self.chunk(0)
    let download = try HTTPTestConnection(baseURL: emulator.baseURL)
    _ = try download.sendHead(
      "GET", "/group/app/-/package_files/\(fileID)/download", headers: dev, contentLength: 0)
    let served = try download.receive { piece in
      var position = piece.startIndex
      while position < piece.endIndex {
        let inChunk = offset % Self.megabyte
        if inChunk == 0 { expectedChunk = Self.chunk(offset / Self.megabyte) }
        let take = min(piece.endIndex - position, Self.megabyte - inChunk)
        // memcmp: a byte-by-byte Swift loop is far too slow in a debug build for 300 MiB.
        let same = piece[position..<position + take].withUnsafeBytes { got in
          expectedChunk[inChunk..<inChunk + take].withUnsafeBytes { want in
            memcmp(got.baseAddress!, want.baseAddress!, take) == 0
          }
        }
        if !same { mismatches += 1 }
        position += take
        offset += take
      }
    }
    let afterDownload = try memory(of: pid)
    #expect(served.status == 200)
    #expect(offset == Self.size)
    #expect(mismatches == 0)

    // Holding the upload, or the download, would add hundreds of megabytes to the peak.
    let growth = max(afterUpload.peak, afterDownload.peak) - before.peak
    print(
      "emulator memory (KiB): before \(before), after the 300 MiB upload \(afterUpload), "
        + "after downloading it \(afterDownload); peak growth \(growth)")
    #expect(growth < 64 * 1024, "peak resident memory grew by \(growth) KiB")
    #expect(emulator.stop() == 0)
  }
}
