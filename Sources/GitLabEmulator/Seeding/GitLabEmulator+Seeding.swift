extension GitLabEmulator {

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

  /// A CI/CD job token of a job of `projectID`; it authenticates only while the job runs, with
  /// the permissions of the job's user, whose role is `role` (in its project and in those whose
  /// allowlist holds it).
  public func addJobToken(
    _ token: String, projectID: Int, jobID: Int = 1, running: Bool = true,
    role: ProjectRole = .developer
  ) {
    core.state.withLock {
      $0.jobTokens[token] = JobTokenRecord(
        projectID: projectID, jobID: jobID, running: running, role: role)
    }
  }

  /// Marks the token's job as running or finished (a finished job's token gets 401).
  public func setJobRunning(token: String, _ running: Bool) {
    core.state.withLock { $0.jobTokens[token]?.running = running }
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
}
