import Foundation
import Testing

@testable import ReleaseLinkerCore

/// A generic package registry held in memory: stores what an upload's reader yields, and can be
/// told to lose answers, fail mid-way, forbid duplicates or refuse deletions.
private final class ModelRegistry: PackageRegistry {
  enum Failure: Error, WriteFailureClassifying {
    case lostAnswer, reset
    var writeFailureKind: WriteFailureKind { .ambiguous }
  }

  /// What the next uploads do.
  enum UploadScript { case commitThenLose, resetMidway }

  struct State {
    var packageID: Int?
    var files: [PackageFile] = []
    var contents: [Int: [UInt8]] = [:]
    var nextID = 100
    var script: [UploadScript] = []
    var uploads = 0
    var deletes = 0
    var rejectDuplicates = false
    var mayDelete = true
    /// Uploads in flight while the package did not exist: more than one is what GitLab may fail.
    var concurrentFirstUploads = 0
    var maximumConcurrentFirstUploads = 0
  }

  let state = Locked(State())

  func findPackage(name: String, version: String) throws -> GenericPackage? {
    state.withLock { state in
      state.packageID.map {
        GenericPackage(
          id: $0, name: name, version: version, packageType: "generic", status: "default")
      }
    }
  }

  func files(ofPackage packageID: Int) throws -> [PackageFile] { state.withLock { $0.files } }

  func upload(name: String, version: String, fileName: String, status: String, body: UploadBody)
    throws -> PackageFile?
  {
    let first = state.withLock { state -> Bool in
      state.uploads += 1
      guard state.packageID == nil else { return false }
      state.concurrentFirstUploads += 1
      state.maximumConcurrentFirstUploads = max(
        state.maximumConcurrentFirstUploads, state.concurrentFirstUploads)
      return true
    }
    defer { if first { state.withLock { $0.concurrentFirstUploads -= 1 } } }
    let script = state.withLock { $0.script.isEmpty ? nil : $0.script.removeFirst() }
    let reader = try body.open()
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 7)
    while true {
      let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
      if count == 0 { break }
      bytes += buffer[0..<count]
      if script == .resetMidway { throw Failure.reset }
    }
    return try state.withLock { state in
      if state.rejectDuplicates, state.files.contains(where: { $0.fileName == fileName }) {
        throw GitLabAPIError(
          status: 400, gitLabMessage: "Duplicate package is not allowed", method: .put, path: "/")
      }
      let packageID = state.packageID ?? 7
      state.packageID = packageID
      let file = PackageFile(
        id: state.nextID, packageID: packageID, fileName: fileName, size: Int64(bytes.count),
        sha256: SHA256.hexDigest(bytes))
      state.nextID += 1
      state.files.append(file)
      state.contents[file.id] = bytes
      if script == .commitThenLose { throw Failure.lostAnswer }
      return file
    }
  }

  func deleteFile(packageID: Int, fileID: Int) throws {
    try state.withLock { state in
      state.deletes += 1
      guard state.mayDelete else {
        throw GitLabAPIError(
          status: 403, gitLabMessage: "403 Forbidden", method: .delete, path: "/")
      }
      state.files.removeAll { $0.id == fileID }
    }
  }
}

@Suite struct PackageUploaderTests {
  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("package-uploader-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  private func item(_ name: String, _ text: String) throws -> PackageUploadItem {
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return PackageUploadItem(
      fileName: name,
      source: UploadSource(origin: .file(path: url.path), size: Int64(text.utf8.count)),
      sha256: nil)
  }

  private func uploader(_ registry: ModelRegistry, dryRun: Bool = false) -> PackageUploader {
    PackageUploader(
      registry: registry, target: PackageTarget(name: "app", version: "1.0", status: .default),
      concurrency: 4, dryRun: dryRun)
  }

  @Test func uploadsEveryFileAndTheFirstOfANewPackageAlone() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    let items = try (1...6).map { try item("file-\($0)", "contents \($0)") }
    let outcome = try uploader(registry).run(items)
    #expect(outcome.results.map(\.status) == Array(repeating: .done, count: 6))
    #expect(outcome.results.map(\.action) == Array(repeating: .upload, count: 6))
    registry.state.withLock { state in
      #expect(state.uploads == 6)
      #expect(state.maximumConcurrentFirstUploads == 1)
      #expect(
        state.contents.values.map { String(decoding: $0, as: UTF8.self) }.sorted()
          == (1...6).map { "contents \($0)" }.sorted())
    }
    #expect(outcome.results[0].sha256 == SHA256.hexDigest(Array("contents 1".utf8)))
  }

  @Test func aSecondRunSendsNothing() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    let items = try ["a", "b"].map { try item($0, "bytes of \($0)") }
    let first = try uploader(registry).run(items)
    let second = try uploader(registry).run(items)
    #expect(second.results.map(\.action) == [.unchanged, .unchanged])
    #expect(second.results.map { $0.file?.id } == first.results.map { $0.file?.id })
    #expect(registry.state.withLock { $0.uploads } == 2)
  }

  @Test func changedBytesAreUploadedAndTheOlderFileDeletedOnceLinked() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    let before = try uploader(registry).run([try item("a", "old")])
    var after = try uploader(registry).run([try item("a", "new")])
    #expect(after.results[0].action == .upload)
    #expect(after.results[0].file?.id != before.results[0].file?.id)
    uploader(registry).deleteSuperseded(&after, linked: [true])
    #expect(after.results[0].deleted.map(\.id) == [before.results[0].file?.id].compactMap { $0 })
    #expect(registry.state.withLock { $0.files.map(\.id) } == [after.results[0].file?.id])
  }

  @Test func aTokenThatMayNotDeleteKeepsTheOlderFileAndSaysSo() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    _ = try uploader(registry).run([try item("a", "old")])
    registry.state.withLock { $0.mayDelete = false }
    var after = try uploader(registry).run([try item("a", "new")])
    uploader(registry).deleteSuperseded(&after, linked: [true])
    #expect(after.results[0].status == .done)
    #expect(after.results[0].kept.count == 1)
    #expect(after.results[0].keptReason?.contains("may not delete") == true)
  }

  @Test func aFileWhoseLinkFailedKeepsItsOlderFile() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    _ = try uploader(registry).run([try item("a", "old")])
    var after = try uploader(registry).run([try item("a", "new")])
    uploader(registry).deleteSuperseded(&after, linked: [false])
    #expect(registry.state.withLock { $0.deletes } == 0)
  }

  @Test func aLostAnswerIsSettledByListingNotByASecondUpload() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    registry.state.withLock { $0.script = [.commitThenLose] }
    let outcome = try uploader(registry).run([try item("a", "payload")])
    #expect(outcome.results[0].status == .done)
    #expect(outcome.results[0].uploads == 1)
    registry.state.withLock { state in
      #expect(state.uploads == 1)
      #expect(state.files.count == 1)
    }
  }

  @Test func anUploadResetMidwayIsSentAgainFromItsFirstByte() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    registry.state.withLock { $0.script = [.resetMidway] }
    let outcome = try uploader(registry).run([try item("a", "a payload longer than one read")])
    #expect(outcome.results[0].status == .done)
    #expect(outcome.results[0].uploads == 2)
    registry.state.withLock { state in
      #expect(state.files.count == 1)
      #expect(
        state.contents.values.first.map { String(decoding: $0, as: UTF8.self) }
          == "a payload longer than one read")
    }
  }

  @Test func aGroupForbiddingDuplicatesGetsTheOlderFileDeletedFirst() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    _ = try uploader(registry).run([try item("a", "old")])
    registry.state.withLock { $0.rejectDuplicates = true }
    let outcome = try uploader(registry).run([try item("a", "new")])
    #expect(outcome.results[0].status == .done)
    #expect(outcome.results[0].deleted.count == 1)
    #expect(registry.state.withLock { $0.files.count } == 1)
  }

  @Test func forbiddenDuplicatesThatCannotBeDeletedFailWithAReason() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    _ = try uploader(registry).run([try item("a", "old")])
    registry.state.withLock {
      $0.rejectDuplicates = true
      $0.mayDelete = false
    }
    let outcome = try uploader(registry).run([try item("a", "new")])
    #expect(outcome.results[0].status == .failed)
    #expect(outcome.results[0].error?.contains("Duplicate package is not allowed") == true)
    #expect(outcome.exitStatus == .failures)
  }

  @Test func aDryRunComparesButSendsNothing() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let registry = ModelRegistry()
    _ = try uploader(registry).run([try item("a", "same")])
    let plan = try uploader(registry, dryRun: true).run([try item("a", "same"), try item("b", "x")])
    #expect(plan.results.map(\.action) == [.unchanged, .upload])
    #expect(plan.results.map(\.status) == [.planned, .planned])
    #expect(registry.state.withLock { $0.uploads } == 1)
  }
}
