import Synchronization

/// A local GitLab that answers the Release Links API (and the few endpoints around it) as GitLab
/// does, over real HTTP on loopback, with scripted faults and counters for tests and benchmarks.
///
/// Every project is private: anonymous callers get GitLab's 404. Seed projects, releases and
/// tokens, `start()`, point a client at `apiURL`, and `shutdown()` (or use `withEmulator`).
public final class GitLabEmulator: Sendable {
  let core: EmulatorCore
  private let runtime = Mutex<ServerRuntime?>(nil)

  /// - Parameters:
  ///   - serverURL: the host used in web URLs (`direct_asset_url`); defaults to `baseURL`.
  ///   - latencyMilliseconds: added before every API answer.
  public init(serverURL: String? = nil, latencyMilliseconds: Int = 0) {
    core = EmulatorCore(serverURL: serverURL, latencyMilliseconds: latencyMilliseconds)
  }

  /// Starts listening (port 0 picks a free port; read it from `baseURL`).
  public func start(host: String = "127.0.0.1", port: Int = 0) throws {
    try runtime.withLock { runtime in
      guard runtime == nil else {
        throw EmulatorStartError(message: "The emulator is already running.")
      }
      let started = try ServerRuntime.start(host: host, port: port, core: core)
      core.state.withLock { $0.baseURL = started.baseURL }
      runtime = started
    }
  }

  /// Stops listening and closes every connection. Stopping a stopped emulator does nothing.
  public func shutdown() throws {
    let running = runtime.withLock { runtime -> ServerRuntime? in
      defer { runtime = nil }
      return runtime
    }
    try running?.stop()
  }

  /// `http://127.0.0.1:PORT` once started, empty before.
  public var baseURL: String { core.state.withLock { $0.baseURL } }

  /// The API root clients use: `baseURL` + `/api/v4`.
  public var apiURL: String { baseURL + "/api/v4" }

  // MARK: - Seeding

  /// Adds (or replaces) a project; `path` is its full path (`group/project`). Job tokens of the
  /// projects in `jobTokenAllowlist` may reach it.
  public func addProject(id: Int, path: String, jobTokenAllowlist: [Int] = []) {
    core.state.withLock {
      $0.projects[id] = ProjectRecord(id: id, path: path, jobTokenAllowlist: jobTokenAllowlist)
    }
  }

  /// Adds a release without links (its name defaults to the tag). An existing one is kept.
  public func addRelease(
    projectID: Int, tag: String, name: String? = nil, description: String = "",
    milestones: [String] = []
  ) {
    core.state.withLock { state in
      let key = ReleaseKey(projectID: projectID, tag: tag)
      guard state.releases[key] == nil else { return }
      state.releases[key] = ReleaseRecord(
        projectID: projectID, tag: tag, name: name ?? tag, description: description,
        createdAt: Timestamps.now(), sequence: state.takeSequence(), milestones: milestones)
      if state.projects[projectID]?.repository?.tags[tag] == nil {
        state.projects[projectID]?.repository?.tags.updateValue(nil, forKey: tag)
      }
    }
  }

  /// The release's own fields (nil when there is no such release).
  public func release(projectID: Int, tag: String) -> EmulatedRelease? {
    core.state.withLock { state in
      state.releases[ReleaseKey(projectID: projectID, tag: tag)].map {
        EmulatedRelease(
          tag: $0.tag, name: $0.name, description: $0.description, milestones: $0.milestones,
          releasedAt: $0.releasedAtMilliseconds.map { Timestamps.iso8601(milliseconds: $0) })
      }
    }
  }

  /// A milestone of the project; releases may then name it by title.
  public func addMilestone(projectID: Int, title: String) {
    core.state.withLock { state in
      guard var project = state.projects[projectID],
        !project.milestones.contains(where: { $0.title == title })
      else { return }
      let id = state.nextMilestoneID
      state.nextMilestoneID += 1
      project.milestones.append(
        MilestoneRecord(id: id, iid: project.milestones.count + 1, title: title))
      state.projects[projectID] = project
    }
  }

  /// A branch of the project's repository. The first branch or tag added makes the repository
  /// modelled: from then on a release needs its tag to exist, or `ref` to create it from (GitLab's
  /// 422 "Ref is not specified" otherwise). `main` always exists in a modelled repository.
  public func addBranch(projectID: Int, name: String) {
    core.state.withLock { state in
      var repository = Self.repository(of: projectID, in: state)
      repository?.branches.insert(name)
      state.projects[projectID]?.repository = repository
    }
  }

  /// A tag of the project's repository (see ``addBranch(projectID:name:)``).
  public func addTag(projectID: Int, name: String, message: String? = nil) {
    core.state.withLock { state in
      var repository = Self.repository(of: projectID, in: state)
      repository?.tags.updateValue(message, forKey: name)
      state.projects[projectID]?.repository = repository
    }
  }

  /// The tags the repository holds, or nil while it is not modelled.
  public func tags(projectID: Int) -> [String: String?]? {
    core.state.withLock { $0.projects[projectID]?.repository?.tags }
  }

  /// The project's repository, modelled from now on: at first it holds the tags of its releases.
  private static func repository(of projectID: Int, in state: EmulatorState) -> RepositoryRecord? {
    guard let project = state.projects[projectID] else { return nil }
    if let repository = project.repository { return repository }
    var tags: [String: String?] = [:]
    for key in state.releases.keys where key.projectID == projectID {
      tags.updateValue(nil, forKey: key.tag)
    }
    return RepositoryRecord(tags: tags)
  }

  /// Behaves as GitLab `version` does (`--gitlab-version`): before 15.9 the link parameters know
  /// only `filepath`, and an unknown `direct_asset_path` is dropped without a word.
  public func setGitLabVersion(_ version: EmulatedVersion?) {
    core.state.withLock { $0.gitLabVersion = version }
  }

  /// Throttles API requests as GitLab.com does (`--rate-limit N/SECONDS`), or stops throttling.
  public func setRateLimit(_ limiter: RateLimiter?) {
    core.state.withLock { $0.rateLimiter = limiter }
  }

  /// Protects a tag: only maintainers may then create its release or write its links (others get
  /// 403, as GitLab refuses those who may not create the tag).
  public func protectTag(projectID: Int, tag: String) {
    core.state.withLock { _ = $0.projects[projectID]?.protectedTags.insert(tag) }
  }

  public func hasRelease(projectID: Int, tag: String) -> Bool {
    core.state.withLock { $0.releases[ReleaseKey(projectID: projectID, tag: tag)] != nil }
  }

  /// A personal access token of a user with a role in each listed project (others are invisible
  /// to it). Scopes: `api` writes and reads, `read_api` only reads.
  public func addPrivateToken(
    _ token: String, userID: Int = 1, roles: [Int: ProjectRole], scopes: [String] = ["api"]
  ) {
    core.state.withLock {
      $0.privateTokens[token] = PrivateTokenRecord(userID: userID, roles: roles, scopes: scopes)
    }
  }

  /// A CI/CD job token of a job of `projectID`; it authenticates only while the job runs.
  public func addJobToken(_ token: String, projectID: Int, jobID: Int = 1, running: Bool = true) {
    core.state.withLock {
      $0.jobTokens[token] = JobTokenRecord(projectID: projectID, jobID: jobID, running: running)
    }
  }

  /// Marks the token's job as running or finished (a finished job's token gets 401).
  public func setJobRunning(token: String, _ running: Bool) {
    core.state.withLock { $0.jobTokens[token]?.running = running }
  }

  /// The archive `GET /projects/:id/jobs/:job_id/artifacts` serves.
  public func setArtifacts(projectID: Int, jobID: Int, archive: [UInt8]) {
    core.state.withLock {
      $0.artifacts[ArtifactKey(projectID: projectID, jobID: jobID)] = .bytes(archive)
    }
  }

  /// Serves the archive from a file, read in chunks at each download (for archives too large to
  /// hold in memory).
  public func setArtifacts(projectID: Int, jobID: Int, fileAt path: String) {
    core.state.withLock {
      $0.artifacts[ArtifactKey(projectID: projectID, jobID: jobID)] = .file(path)
    }
  }

  /// Makes `GET /projects/:id/jobs/:job_id/artifacts` answer `302 Found` to `location`, as GitLab
  /// does when artifacts live in object storage. Pair it with `setStorageObject` and a location on
  /// another host name (`http://localhost:PORT/object-storage/NAME` when the emulator listens on
  /// 127.0.0.1) to check that a client never forwards its token across hosts: the request log
  /// shows which credential headers reached the storage route.
  public func setArtifactsRedirect(projectID: Int, jobID: Int, location: String) {
    core.state.withLock {
      $0.artifacts[ArtifactKey(projectID: projectID, jobID: jobID)] = .redirect(location)
    }
  }

  /// An object served without credentials at `/object-storage/NAME` (one path segment), like a
  /// pre-signed bucket URL.
  public func setStorageObject(_ name: String, bytes: [UInt8]) {
    core.state.withLock { $0.storageObjects[name] = bytes }
  }

  /// Adds a link directly (no validation), creating the release if needed; returns its id.
  @discardableResult
  public func addLink(
    projectID: Int, tag: String, name: String, url: String, directAssetPath: String? = nil,
    linkType: String = "other"
  ) -> Int {
    addRelease(projectID: projectID, tag: tag)
    return core.state.withLock { state in
      let id = state.takeLinkID()
      state.releases[ReleaseKey(projectID: projectID, tag: tag)]?.links.append(
        EmulatedLink(
          id: id, name: name, url: url, directAssetPath: directAssetPath, linkType: linkType))
      return id
    }
  }

  /// The release's links, oldest first (empty when there is no such release).
  public func links(projectID: Int, tag: String) -> [EmulatedLink] {
    core.state.withLock { $0.releases[ReleaseKey(projectID: projectID, tag: tag)]?.links ?? [] }
  }

  /// The bytes stored by a generic package upload, if any.
  public func packageFile(projectID: Int, name: String, version: String, file: String) -> [UInt8]? {
    core.state.withLock {
      $0.packageFiles[
        PackageFileKey(projectID: projectID, name: name, version: version, file: file)]
    }
  }

  // MARK: - Faults and counters

  /// Latency added before every API answer from now on.
  public func setLatency(milliseconds: Int) {
    core.state.withLock { $0.latencyMilliseconds = max(0, milliseconds) }
  }

  /// Queues faults for requests with this method whose raw path (percent-encoded, without the
  /// query) ends with `pathSuffix`: each matching request takes the next fault, first in first
  /// out, until the queue is empty. Queues for the same method and suffix are joined.
  public func script(method: String, pathSuffix: String, _ faults: [ScriptedFault]) {
    core.state.withLock { state in
      if let index = state.faultScripts.firstIndex(where: {
        $0.method.uppercased() == method.uppercased() && $0.pathSuffix == pathSuffix
      }) {
        state.faultScripts[index].faults += faults
      } else {
        state.faultScripts.append(
          FaultScript(method: method.uppercased(), pathSuffix: pathSuffix, faults: faults))
      }
    }
  }

  /// Requests, writes and accepted connections since start or `resetStats()`.
  public var stats: EmulatorStats { core.state.withLock { $0.stats } }

  /// Zeroes the counters and empties the request log.
  public func resetStats() {
    core.state.withLock {
      $0.stats = EmulatorStats()
      $0.requestLog = []
    }
  }

  /// Every API request so far, oldest first.
  public var requestLog: [LoggedRequest] { core.state.withLock { $0.requestLog } }
}

/// Runs `body` against a started emulator and always shuts it down, whatever `body` does.
public func withEmulator<T>(serverURL: String? = nil, _ body: (GitLabEmulator) throws -> T)
  throws -> T
{
  let emulator = GitLabEmulator(serverURL: serverURL)
  try emulator.start()
  defer { try? emulator.shutdown() }
  return try body(emulator)
}
