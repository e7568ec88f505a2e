/// Seeding what a release job meets around the release: milestones, the repository's tags and
/// branches, the GitLab version and the rate limit.
extension GitLabEmulator {
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
}
