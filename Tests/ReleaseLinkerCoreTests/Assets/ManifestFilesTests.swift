import Foundation
import Testing

@testable import ReleaseLinkerCore

@Suite struct ManifestFilesTests {
  let folder: URL

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "manifest-files-[\(UUID().uuidString)]")
    for file in [
      "manifests/linux.json", "manifests/windows.json", "manifests/notes.txt",
      "manifests/old/macos.json", "other/x.json",
    ] {
      let url = folder.appendingPathComponent(file)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data("{}".utf8).write(to: url)
    }
  }

  func names(_ pattern: String) throws -> [String] {
    try ManifestFiles.expand(pattern, currentDirectory: folder.path).map(\.name)
  }

  @Test func aStarStaysWithinItsFolder() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try names("manifests/*.json") == ["manifests/linux.json", "manifests/windows.json"])
  }

  @Test func aDoubleStarCrossesFolders() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(
      try names("**/*.json") == [
        "manifests/linux.json", "manifests/old/macos.json", "manifests/windows.json",
        "other/x.json",
      ])
  }

  @Test func aPlainPathIsTheFileItself() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try names("manifests/linux.json") == ["manifests/linux.json"])
    // An absolute pattern is a pattern throughout: its brackets are escaped to be literal.
    let escaped = folder.path.replacingOccurrences(of: "[", with: "\\[")
      .replacingOccurrences(of: "]", with: "\\]")
    let absolute = try ManifestFiles.expand(escaped + "/manifests/w*.json", currentDirectory: "/")
    #expect(absolute.map(\.name) == [folder.path + "/manifests/windows.json"])
  }

  @Test func aGlobThatMatchesNothingIsADataError() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    for pattern in ["manifests/*.yaml", "missing/linux.json", "manifests"] {
      let error = #expect(throws: DataError.self) { try names(pattern) }
      #expect(error?.message.contains("'\(pattern)'") == true)
      #expect(error?.message.contains("needs:") == true)
    }
  }
}
