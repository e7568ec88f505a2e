import Foundation
import Testing

@testable import ReleaseLinkerCore

/// Runs a Debian tool (bsdtar, zip, 7z…) in `directory`, failing the test when it fails.
private func tool(_ arguments: [String], in directory: URL) throws {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = arguments
  process.currentDirectoryURL = directory
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  try process.run()
  process.waitUntilExit()
  try #require(process.terminationStatus == 0, "\(arguments) failed")
}

private func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "archive-reader-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct ArchiveReaderTests {
  @Test func streamsEntriesAndDataInBlocks() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = directory.appendingPathComponent("src")
    try FileManager.default.createDirectory(
      at: source.appendingPathComponent("sub"), withIntermediateDirectories: true)
    // Larger than one block, and not a multiple of it.
    let big = (0..<(ArchiveReader.blockSize * 3 + 123)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    try Data(big).write(to: source.appendingPathComponent("sub/big.bin"))
    try FileManager.default.createSymbolicLink(
      atPath: source.appendingPathComponent("link").path, withDestinationPath: "sub/big.bin")
    try tool(["bsdtar", "-cJf", "../a.tar.xz", "sub", "link"], in: source)

    let reader = try ArchiveReader(path: directory.appendingPathComponent("a.tar.xz").path)
    var seen: [String: ArchiveEntry.Kind] = [:]
    while let entry = try reader.nextEntry() {
      seen[entry.name] = entry.kind
      if entry.name == "sub/big.bin" {
        #expect(entry.declaredSize == Int64(big.count))
        var hasher = SHA256()
        var largestBlock = 0
        let count = try reader.readData { block in
          largestBlock = max(largestBlock, block.count)
          hasher.update(block)
        }
        #expect(count == Int64(big.count))
        #expect(largestBlock <= ArchiveReader.blockSize)
        #expect(hasher.finalizeHex() == SHA256.hexDigest(big))
      }
    }
    #expect(seen == ["sub/": .directory, "sub/big.bin": .regularFile, "link": .symbolicLink])
  }

  @Test func randomBytesAreAnArchiveErrorWithLibarchivesWords() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("noise.zip").path
    var generator = SeededGenerator(seed: 7)
    try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(
      to: URL(fileURLWithPath: path))
    let error = try #require(throws: ArchiveError.self) {
      let reader = try ArchiveReader(path: path)
      while try reader.nextEntry() != nil {}
    }
    #expect(error.exitStatus == .dataError)
    #expect(error.message.contains("noise.zip"))
    #expect(error.message.contains("Unrecognized archive format"))
  }

  @Test func missingFileIsAnArchiveError() {
    #expect(throws: ArchiveError.self) {
      _ = try ArchiveReader(path: "/nonexistent/archive.zip")
    }
  }
}
