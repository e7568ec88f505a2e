import Foundation
import Testing

@testable import ReleaseLinkerCore

/// An asset's bytes read again after the scan: from a file, and from an archive entry straight out
/// of libarchive, each time from the first byte.
@Suite struct UploadSourceTests {
  private func readAll(_ reader: any UploadReader, block: Int = 5) throws -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: block)
    while true {
      let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
      if count == 0 { return bytes }
      bytes += buffer[0..<count]
    }
  }

  @Test func anArchiveEntryIsReadFromTheArchiveEachTimeAfresh() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("upload-source-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("in/sub"), withIntermediateDirectories: true)
    try Data("first entry".utf8).write(to: directory.appendingPathComponent("in/a.txt"))
    try Data("the second entry's bytes".utf8).write(
      to: directory.appendingPathComponent("in/sub/b.bin"))
    let archive = directory.appendingPathComponent("dist.tar.gz").path
    let tar = Process()
    tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    tar.arguments = [
      "tar", "-czf", archive, "-C", directory.appendingPathComponent("in").path, ".",
    ]
    try tar.run()
    tar.waitUntilExit()
    try #require(tar.terminationStatus == 0)

    let assets = try AssetScanner(
      root: directory.path, currentDirectory: directory.path, checksums: true,
      sink: CapturingSink()
    ).scanArchive(archive)
    let entry = try #require(assets.first { $0.artifactPath == "sub/b.bin" })
    let origin = try #require(entry.origin)
    let source = UploadSource(origin: origin, size: entry.size)
    #expect(
      String(decoding: try readAll(try source.open()), as: UTF8.self) == "the second entry's bytes")
    // A second pass (a retried upload) starts at the entry's first byte again.
    #expect(
      String(decoding: try readAll(try source.open(), block: 3), as: UTF8.self)
        == "the second entry's bytes")
    #expect(try source.sha256() == entry.sha256)
  }

  @Test func entriesOfOneArchiveShareAPassWhateverOrderTheyAreReadIn() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("upload-source-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("in")
    try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
    for index in 1...4 {
      try Data("entry number \(index)".utf8).write(to: input.appendingPathComponent("e\(index)"))
    }
    let archive = directory.appendingPathComponent("four.tar.xz").path
    let tar = Process()
    tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    tar.arguments = ["tar", "-cJf", archive, "-C", input.path, "e1", "e2", "e3", "e4"]
    try tar.run()
    tar.waitUntilExit()
    try #require(tar.terminationStatus == 0)
    #expect(try ArchiveReader(path: archive).isCompressedStream)

    let cursors = ArchiveCursors()
    let assets = try AssetScanner(
      root: directory.path, currentDirectory: directory.path, checksums: false,
      sink: CapturingSink()
    ).scanArchive(archive)
    let sources = try assets.map { asset in
      UploadSource(origin: try #require(asset.origin), size: asset.size, cursors: cursors)
    }
    // In order (one pass), backwards (a fresh open each), and one entry twice (a retry).
    for order in [[0, 1, 2, 3], [3, 2, 1, 0], [1, 1, 3]] {
      for index in order {
        let text = String(decoding: try readAll(try sources[index].open()), as: UTF8.self)
        #expect(text == "entry number \(index + 1)")
      }
    }
  }

  @Test func aFileThatShrankIsReportedAsChanged() throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("upload-source-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data("12345".utf8).write(to: file)
    let source = UploadSource(origin: .file(path: file.path), size: 9)
    #expect(throws: UploadSourceChangedError.self) { try source.sha256() }
  }
}
