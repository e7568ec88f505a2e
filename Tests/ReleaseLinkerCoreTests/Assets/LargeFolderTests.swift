import Foundation
import Testing

@testable import ReleaseLinkerCore

/// A folder of 1,000 short names fills glibc's `readdir` buffer, so its last record ends closer to
/// the buffer's end than the 256 bytes `dirent.d_name` declares. Copying that field whole read past
/// the buffer: AddressSanitizer stopped `publish dist` of 1,000 files with a heap-buffer-overflow
/// (`make sanitize`, Benchmarks/results/sanitizers.md). Under ASan these tests fail without the fix;
/// everywhere they check that every name is read, whole, in byte order.
@Suite struct LargeFolderTests {
  let folder: URL
  let names = (0..<1000).map { String(format: "hello-%03d.bin", $0) }

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "large-folder-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("dist"), withIntermediateDirectories: true)
    for name in names {
      try Data(name.utf8).write(to: folder.appendingPathComponent("dist/" + name))
    }
    // The longest name a folder may hold, beside them.
    try Data().write(
      to: folder.appendingPathComponent("dist/" + String(repeating: "n", count: 255)))
  }

  @Test func aScanReadsEveryNameOfAThousandFileFolder() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let assets = try AssetScanner(
      root: folder.path, currentDirectory: folder.path, checksums: false, sink: CapturingSink()
    ).scanPath("dist")
    #expect(
      assets.map(\.artifactPath)
        == (names + [String(repeating: "n", count: 255)]).map { "dist/" + $0 })
    #expect(assets.first?.size == Int64("hello-000.bin".utf8.count))
  }

  @Test func aManifestGlobReadsEveryNameOfAThousandFileFolder() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let matched = try ManifestFiles.expand("dist/hello-*.bin", currentDirectory: folder.path)
    #expect(matched.map(\.name) == names.map { "dist/" + $0 })
  }

  @Test func anEntryNameIsReadUpToItsEnd() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let stream = try #require(opendir(folder.appendingPathComponent("dist").path))
    defer { closedir(stream) }
    var seen: Set<String> = []
    while let entry = readdir(stream) {
      seen.insert(String(decoding: directoryEntryName(entry), as: UTF8.self))
    }
    #expect(seen == Set(names + [String(repeating: "n", count: 255), ".", ".."]))
  }
}
