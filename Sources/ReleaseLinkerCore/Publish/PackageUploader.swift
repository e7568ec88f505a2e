import Synchronization

/// The package the assets are uploaded to (`--package-name`, `--package-version`,
/// `--package-status`), already valid for GitLab.
public struct PackageTarget: Sendable, Equatable {
  public var name: String
  public var version: String
  public var status: PackageStatus

  public init(name: String, version: String, status: PackageStatus) {
    self.name = name
    self.version = version
    self.status = status
  }
}

/// `--package-status`: GitLab's `status` parameter of an upload (`ALLOWED_STATUSES`). A hidden
/// package is left out of the registry's listings in the UI but its files still download.
public enum PackageStatus: String, Sendable, CaseIterable {
  case `default`
  case hidden
}

/// One file bound for the registry.
public struct PackageUploadItem: Sendable {
  /// The package file name, valid for GitLab (``GenericPackageRules``).
  public var fileName: String
  public var source: UploadSource
  /// The SHA-256 when the scan computed it.
  public var sha256: String?

  public init(fileName: String, source: UploadSource, sha256: String?) {
    self.fileName = fileName
    self.source = source
    self.sha256 = sha256
  }
}

/// How one file ended.
public struct PackageUploadResult: Sendable, Equatable {
  public enum Action: String, Sendable {
    /// The registry did not hold these bytes under this name: they are (or would be) sent.
    case upload
    /// A file of the same name, size and SHA-256 is in the package already: nothing is sent.
    case unchanged
  }

  public var fileName: String
  public var action: Action
  public var status: StepResult.Status
  /// The package file the link points at, once it is known.
  public var file: PackageFile?
  /// The SHA-256 of the bytes: GitLab's own for an upload (computed from what it stored), ours for
  /// a file compared with the registry; nil when neither is known yet.
  public var sha256: String?
  /// Older files of the same name that were deleted, the link no longer pointing at them.
  public var deleted: [PackageFile] = []
  /// Older files of the same name that could not be deleted, and why.
  public var kept: [PackageFile] = []
  public var keptReason: String?
  public var error: String?
  public var failureKind: WriteFailureKind?
  /// How many times the file was sent.
  public var uploads = 0

  public init(
    fileName: String, action: Action, status: StepResult.Status, file: PackageFile? = nil,
    sha256: String? = nil, error: String? = nil, failureKind: WriteFailureKind? = nil
  ) {
    self.fileName = fileName
    self.action = action
    self.status = status
    self.file = file
    self.sha256 = sha256
    self.error = error
    self.failureKind = failureKind
  }
}

/// What the registry held when the uploads started and what they added: enough for a second batch
/// (the checksums file) and for deleting superseded files without listing again.
public struct PackageSnapshot: Sendable, Equatable {
  public var packageID: Int?
  public var files: [PackageFile]

  public init(packageID: Int?, files: [PackageFile]) {
    self.packageID = packageID
    self.files = files
  }
}

/// How a batch of uploads ended.
public struct PackageUploadOutcome: Sendable {
  public var target: PackageTarget
  public var results: [PackageUploadResult]
  public var snapshot: PackageSnapshot

  public init(target: PackageTarget, results: [PackageUploadResult], snapshot: PackageSnapshot) {
    self.target = target
    self.results = results
    self.snapshot = snapshot
  }

  /// 0 when every file is in the registry; otherwise as ``PublishOutcome/exitStatus``.
  public var exitStatus: ExitStatus {
    let kinds = results.filter { $0.status == .failed }.map { $0.failureKind ?? .rejected }
    if kinds.isEmpty { return .success }
    if kinds.contains(.authentication) { return .noPermission }
    if kinds.contains(.unavailable) || kinds.contains(.ambiguous) { return .unavailable }
    return .failures
  }
}

/// Called from a transfer's thread: the file, the bytes sent so far and its size.
public typealias UploadProgressHandler =
  @Sendable (
    _ fileName: String, _ sent: Int64, _ total: Int64
  ) -> Void

/// Puts files into one generic package so that it ends holding each of them exactly once.
///
/// Before anything is sent the package's files are read (all pages). A file the package already
/// holds under the same name with the same size and SHA-256 is not sent again; only for those
/// candidates is the local file hashed. Otherwise the file is streamed from its source. An upload
/// whose answer is lost (a reset, a timeout, a 5xx) is settled by listing the package's files
/// again: a new file of that name and size is the upload having landed, never a reason to send it
/// twice; only a file not found there is sent once more. While the package does not exist yet,
/// the first upload goes alone, since GitLab may fail concurrent uploads that each try to create
/// it (the package's uniqueness validation in `app/models/packages/package.rb`); the rest go in
/// parallel.
public struct PackageUploader: Sendable {
  public let registry: any PackageRegistry
  public let target: PackageTarget
  public let concurrency: Int
  public let dryRun: Bool
  /// How many times one file may be sent after listing showed the previous attempt did not land.
  public let maximumAttempts: Int
  public let progress: UploadProgressHandler?

  public init(
    registry: any PackageRegistry, target: PackageTarget, concurrency: Int, dryRun: Bool,
    maximumAttempts: Int = 3, progress: UploadProgressHandler? = nil
  ) {
    self.registry = registry
    self.target = target
    self.concurrency = max(1, concurrency)
    self.dryRun = dryRun
    self.maximumAttempts = max(1, maximumAttempts)
    self.progress = progress
  }

  /// Reads the package (unless `snapshot` says what it holds), then compares and uploads every item.
  /// Throws only when the package cannot be read; every later failure is a result.
  public func run(_ items: [PackageUploadItem], snapshot: PackageSnapshot? = nil) throws
    -> PackageUploadOutcome
  {
    let start: PackageSnapshot
    if let snapshot {
      start = snapshot
    } else if let package = try registry.findPackage(name: target.name, version: target.version) {
      start = PackageSnapshot(
        packageID: package.id, files: try registry.files(ofPackage: package.id))
    } else {
      start = PackageSnapshot(packageID: nil, files: [])
    }
    let state = Locked(start)
    let knownBefore = Set(start.files.map(\.id))
    let results = Locked<[PackageUploadResult?]>(.init(repeating: nil, count: items.count))

    // Compare: hashing is needed only where the package holds a file of that name and size.
    forEach(Array(items.indices), of: items) { index in
      results.withLock { $0[index] = compare(items[index], with: start.files) }
    }
    let compared = results.withLock { $0 }
    let pending = items.indices.filter {
      compared[$0]?.action == .upload && compared[$0]?.status != .failed
    }
    // What the comparison hashed is checked against GitLab's own SHA-256 of the upload.
    var prepared = items
    for index in items.indices where prepared[index].sha256 == nil {
      prepared[index].sha256 = compared[index]?.sha256
    }
    if !dryRun, !pending.isEmpty {
      var rest = pending[...]
      // One at a time until the package exists (a failed first upload may not have created it).
      while state.withLock({ $0.packageID }) == nil, let first = rest.popFirst() {
        let result = upload(prepared[first], known: knownBefore, state: state)
        results.withLock { $0[first] = merged(result, into: $0[first]) }
      }
      let parallel = Array(rest)
      forEach(parallel, of: items) { index in
        let result = upload(prepared[index], known: knownBefore, state: state)
        results.withLock { $0[index] = merged(result, into: $0[index]) }
      }
    }
    let final = results.withLock { stored in
      stored.enumerated().map { index, result in
        result
          ?? PackageUploadResult(fileName: items[index].fileName, action: .upload, status: .failed)
      }
    }
    return PackageUploadOutcome(target: target, results: final, snapshot: state.withLock { $0 })
  }

  /// Deletes the package's other files of each linked name: the link points at the new file, so
  /// the old one only takes space and could be downloaded by mistake. `linked[i]` says whether the
  /// link of result `i` is in place; files whose link failed are left alone. A token that may not
  /// delete is reported, not a failure: the release is right either way.
  public func deleteSuperseded(_ outcome: inout PackageUploadOutcome, linked: [Bool]) {
    guard !dryRun, let packageID = outcome.snapshot.packageID else { return }
    var gone = Set(outcome.results.flatMap { $0.deleted.map(\.id) })
    for index in outcome.results.indices where index < linked.count && linked[index] {
      guard let current = outcome.results[index].file else { continue }
      let older = outcome.snapshot.files.filter {
        $0.fileName == current.fileName && $0.id != current.id && !gone.contains($0.id)
      }
      for file in older {
        do {
          try registry.deleteFile(packageID: packageID, fileID: file.id)
          outcome.results[index].deleted.append(file)
          gone.insert(file.id)
        } catch let error as GitLabAPIError where error.status == 404 {
          gone.insert(file.id)  // already gone
        } catch {
          outcome.results[index].kept.append(file)
          outcome.results[index].keptReason = Self.deleteRefusal(error)
        }
      }
    }
    outcome.snapshot.files.removeAll { gone.contains($0.id) }
  }

  // MARK: Steps

  private func compare(_ item: PackageUploadItem, with files: [PackageFile]) -> PackageUploadResult
  {
    let sameNameAndSize = files.filter {
      $0.fileName == item.fileName && $0.size == item.source.size
    }
    guard !sameNameAndSize.isEmpty else {
      return PackageUploadResult(
        fileName: item.fileName, action: .upload, status: dryRun ? .planned : .done,
        sha256: item.sha256)
    }
    let digest: String
    do {
      digest = try item.sha256 ?? item.source.sha256()
    } catch {
      return .failed(item.fileName, UploadSource.unwrap(error))
    }
    if let match = sameNameAndSize.filter({ $0.sha256 == digest }).max(by: { $0.id < $1.id }) {
      return PackageUploadResult(
        fileName: item.fileName, action: .unchanged, status: dryRun ? .planned : .done,
        file: match, sha256: digest)
    }
    return PackageUploadResult(
      fileName: item.fileName, action: .upload, status: dryRun ? .planned : .done, sha256: digest)
  }

  private func upload(
    _ item: PackageUploadItem, known: Set<Int>, state: Locked<PackageSnapshot>
  ) -> PackageUploadResult {
    var result = PackageUploadResult(fileName: item.fileName, action: .upload, status: .failed)
    var clearedForDuplicate = false
    var sent: (@Sendable (Int64) -> Void)?
    if let report = progress {
      let name = item.fileName
      let total = item.source.size
      sent = { bytes in report(name, bytes, total) }
    }
    for _ in 0..<maximumAttempts {
      result.uploads += 1
      do {
        let body = item.source.body(progress: sent)
        let stored = try registry.upload(
          name: target.name, version: target.version, fileName: item.fileName,
          status: target.status.rawValue, body: body)
        if let stored {
          return finished(item, stored, result, state: state)
        }
        // A server that does not describe the stored file: it is the new one in the list.
        if let landed = try? landedFile(item, known: known, state: state) {
          return finished(item, landed, result, state: state)
        }
        return result.failing(
          "GitLab accepted the upload of '\(item.fileName)' but the package's files do not list "
            + "it; run the job again.", kind: .ambiguous)
      } catch let error as GitLabAPIError where error.isFileTooLargeRefusal {
        return result.failing(
          "GitLab refused '\(item.fileName)' (\(item.source.size) bytes): File is too large. The "
            + "instance's generic package limit (generic_packages_max_file_size; 5 GiB on "
            + "GitLab.com) is below this file; lower --max-file-size to find such files before "
            + "uploading, or ask the administrator to raise the limit.", kind: .rejected)
      } catch let error as GitLabAPIError where error.isDuplicatePackageRefusal {
        // Duplicates are forbidden for this group: the old file of this name must go first.
        guard !clearedForDuplicate else { return result.failing(error) }
        clearedForDuplicate = true
        switch clearForDuplicate(item, state: state) {
        case .success(let deleted): result.deleted += deleted
        case .failure(let refusal): return result.failing(refusal.reason, kind: .rejected)
        }
      } catch {
        let error = UploadSource.unwrap(error)
        let kind = WriteFailureKind(error)
        guard kind == .ambiguous || kind == .unavailable else { return result.failing(error) }
        // The upload may have landed: look before sending it again.
        do {
          if let landed = try landedFile(item, known: known, state: state) {
            return finished(item, landed, result, state: state)
          }
        } catch {
          // Without a look, sending it again could store the file twice.
          return result.failing(error)
        }
        result = result.failing(error)
      }
    }
    return result
  }

  private func finished(
    _ item: PackageUploadItem, _ stored: PackageFile, _ partial: PackageUploadResult,
    state: Locked<PackageSnapshot>
  ) -> PackageUploadResult {
    var result = partial
    state.withLock { snapshot in
      if snapshot.packageID == nil { snapshot.packageID = stored.packageID }
      if !snapshot.files.contains(where: { $0.id == stored.id }) { snapshot.files.append(stored) }
      snapshot.files.removeAll { file in result.deleted.contains { $0.id == file.id } }
    }
    guard stored.size == item.source.size else {
      return result.failing(
        "GitLab stored \(stored.size) bytes for '\(item.fileName)' (package file \(stored.id)), "
          + "not the \(item.source.size) bytes sent; run the job again.", kind: .rejected)
    }
    if let remote = stored.sha256, let local = item.sha256, remote != local {
      return result.failing(
        "GitLab's SHA-256 of '\(item.fileName)' (package file \(stored.id)) is \(remote), not the "
          + "\(local) of the file sent; run the job again.", kind: .rejected)
    }
    result.status = .done
    result.error = nil
    result.failureKind = nil
    result.file = stored
    result.sha256 = stored.sha256 ?? item.sha256
    return result
  }

  /// The file an upload whose answer was lost left in the package: of that name and size, and not
  /// there before the run. Nil when it is not there; throws when the package cannot be listed.
  private func landedFile(
    _ item: PackageUploadItem, known: Set<Int>, state: Locked<PackageSnapshot>
  ) throws -> PackageFile? {
    var packageID = state.withLock { $0.packageID }
    if packageID == nil {
      packageID = try registry.findPackage(name: target.name, version: target.version)?.id
      if let packageID { state.withLock { $0.packageID = $0.packageID ?? packageID } }
    }
    guard let packageID else { return nil }
    let files = try registry.files(ofPackage: packageID)
    return files.filter {
      $0.fileName == item.fileName && $0.size == item.source.size && !known.contains($0.id)
    }.max { $0.id < $1.id }
  }

  /// Deletes the package's files named like `item`, so that a group forbidding duplicates accepts
  /// the new one; the reason when one cannot be deleted.
  private func clearForDuplicate(_ item: PackageUploadItem, state: Locked<PackageSnapshot>)
    -> Result<[PackageFile], DuplicateRefusal>
  {
    let packageID = state.withLock { $0.packageID }
    var listed: [PackageFile]?
    if let packageID { listed = try? registry.files(ofPackage: packageID) }
    let files = listed?.filter { $0.fileName == item.fileName }
    guard let packageID, let files else {
      return .failure(
        DuplicateRefusal(
          "GitLab refused '\(item.fileName)': Duplicate package is not allowed, and the package's "
            + "files could not be read to remove the old one."))
    }
    var deleted: [PackageFile] = []
    for file in files {
      do {
        try registry.deleteFile(packageID: packageID, fileID: file.id)
        deleted.append(file)
      } catch {
        return .failure(
          DuplicateRefusal(
            "The group forbids duplicate package files (Duplicate package is not allowed) and "
              + "the old '\(item.fileName)' (package file \(file.id)) could not be deleted: "
              + Self.deleteRefusal(error)
              + " Delete it in the package registry, or allow duplicates for generic packages "
              + "(group Settings > Packages and registries), then run the job again."))
      }
    }
    return .success(deleted)
  }

  struct DuplicateRefusal: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
  }

  static func deleteRefusal(_ error: any Error) -> String {
    if let api = error as? GitLabAPIError, api.status == 403 || api.status == 401 {
      return "the token may not delete package files (GitLab answered \(api.status)); deleting "
        + "needs a role that may destroy packages."
    }
    return (error as? any ReleaseLinkerError)?.message ?? "\(error)"
  }

  private func merged(_ result: PackageUploadResult, into previous: PackageUploadResult?)
    -> PackageUploadResult
  {
    var result = result
    // What the comparison learnt stays when the upload adds nothing (an older server).
    if result.sha256 == nil { result.sha256 = previous?.sha256 }
    return result
  }

  /// Runs `body` for every index, up to ``concurrency`` at once, on threads of their own. Items that
  /// share a ``UploadSource/passKey`` (the entries of one tar.gz) run one after the other on one
  /// thread, in order, so the archive is decompressed once rather than once per entry.
  private func forEach(_ indices: [Int], of items: [PackageUploadItem], _ body: (Int) -> Void) {
    var lanes: [[Int]] = []
    var laneOfKey: [String: Int] = [:]
    for index in indices {
      if let key = items[index].source.passKey {
        if let lane = laneOfKey[key] {
          lanes[lane].append(index)
          continue
        }
        laneOfKey[key] = lanes.count
      }
      lanes.append([index])
    }
    let next = Atomic<Int>(0)
    BlockingWorkers.run(count: min(concurrency, lanes.count)) { _ in
      while true {
        let position = next.add(1, ordering: .relaxed).oldValue
        guard position < lanes.count else { return }
        for index in lanes[position] { body(index) }
      }
    }
  }
}

extension PackageUploadResult {
  static func failed(_ fileName: String, _ error: any Error) -> PackageUploadResult {
    PackageUploadResult(fileName: fileName, action: .upload, status: .failed).failing(error)
  }

  func failing(_ error: any Error) -> PackageUploadResult {
    let message = (error as? any ReleaseLinkerError)?.message ?? "\(error)"
    return failing(message, kind: WriteFailureKind(error))
  }

  func failing(_ message: String, kind: WriteFailureKind) -> PackageUploadResult {
    var result = self
    result.status = .failed
    result.error = message
    result.failureKind = kind
    return result
  }
}
