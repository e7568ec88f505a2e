/// Everything the emulator holds. Lives behind one mutex; each request is handled in one critical
/// section, so a request sees and leaves a consistent state.
struct EmulatorState: Sendable {
  var serverURL: String?
  var baseURL = ""
  var latencyMilliseconds: Int

  var projects: [Int: ProjectRecord] = [:]
  var releases: [ReleaseKey: ReleaseRecord] = [:]
  var nextLinkID = 1
  var nextSequence = 1
  var privateTokens: [String: PrivateTokenRecord] = [:]
  var jobTokens: [String: JobTokenRecord] = [:]
  var artifacts: [JobKey: ArtifactSource] = [:]
  var jobs: [JobKey: JobRecord] = [:]
  var packages = PackageRegistry()
  var storage: PackageStorage
  /// Objects served without authentication at `/object-storage/NAME`, as a bucket would.
  var storageObjects: [String: [UInt8]] = [:]

  var nextMilestoneID = 1
  /// The GitLab version the emulator behaves as (`--gitlab-version`); nil is the current one.
  var gitLabVersion: EmulatedVersion?
  /// `--rate-limit N/SECONDS`: GitLab.com's authenticated API throttle, as Rack::Attack counts it.
  var rateLimiter: RateLimiter?

  var faultScripts: [FaultScript] = []
  /// `--random-faults`: draws a fault for API requests no script claims.
  var randomFaults: RandomFaultInjector?
  var stats = EmulatorStats()
  var requestLog: [LoggedRequest] = []

  init(serverURL: String?, latencyMilliseconds: Int, storageDirectory: String?) {
    self.serverURL = serverURL
    self.latencyMilliseconds = latencyMilliseconds
    storage = PackageStorage(directory: storageDirectory)
  }

  /// The host used in web URLs (`direct_asset_url`, release links), without a trailing slash.
  var webURL: String {
    var url = serverURL ?? baseURL
    while url.hasSuffix("/") { url.removeLast() }
    return url
  }

  /// The newest successful job of that name on that ref, as GitLab picks the job of the latest
  /// successful pipeline for the ref (the emulator knows jobs, not pipelines).
  func latestSuccessfulJob(projectID: Int, name: String, ref: String) -> JobRecord? {
    jobs.filter {
      $0.key.projectID == projectID && $0.value.name == name && $0.value.ref == ref
        && $0.value.status == .success
    }.map(\.value).max { $0.id < $1.id }
  }

  func project(matching identifier: String) -> ProjectRecord? {
    if !identifier.isEmpty, identifier.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
      return Int(identifier).flatMap { projects[$0] }
    }
    // A full path; a bare name (no namespace) never names a project.
    guard identifier.contains("/") else { return nil }
    let wanted = identifier.lowercased()
    return projects.values.first { $0.path.lowercased() == wanted }
  }

  mutating func takeSequence() -> Int {
    defer { nextSequence += 1 }
    return nextSequence
  }

  /// The version answered by `GET /version` and deciding what the API understands.
  var version: EmulatedVersion { gitLabVersion ?? .current }

  mutating func takeLinkID() -> Int {
    defer { nextLinkID += 1 }
    return nextLinkID
  }

  /// A fault drawn by `--random-faults` for an API request (the web routes are left alone), counted
  /// by kind in the stats.
  mutating func drawRandomFault(_ head: EmulatorRequest, isUpload: Bool) -> ScriptedFault? {
    guard var injector = randomFaults, injector.isActive, head.rawPath.hasPrefix("/api/") else {
      return nil
    }
    let drawn = injector.draw(
      isUpload: isUpload, bodyLength: head.header("Content-Length").flatMap { Int($0) })
    randomFaults = injector
    guard let (kind, fault) = drawn else { return nil }
    stats.faultsInjected[kind, default: 0] += 1
    return fault
  }

  /// Pops the next fault for this request, if a script matches.
  mutating func takeFault(method: String, rawPath: String) -> ScriptedFault? {
    for index in faultScripts.indices {
      let script = faultScripts[index]
      guard script.method.uppercased() == method, rawPath.hasSuffix(script.pathSuffix),
        !script.faults.isEmpty
      else { continue }
      return faultScripts[index].faults.removeFirst()
    }
    return nil
  }
}
