#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `gitlab-emulator`'s flags ask the emulator to hold, parsed from their text values
/// (`24:group/app`, `glpat-x:24:developer`, …) and applied to an emulator before it starts.
public struct EmulatorSeeds: Sendable, Equatable {
  /// The flags' values as given, one list per flag, in command-line order.
  public struct Arguments: Sendable {
    public var projects: [String] = []
    public var releases: [String] = []
    public var protectedTags: [String] = []
    public var privateTokens: [String] = []
    public var jobTokens: [String] = []
    public var artifacts: [String] = []
    public var milestones: [String] = []
    public var tags: [String] = []
    public var branches: [String] = []
    public var gitLabVersion: String?
    public var rateLimit: String?
    /// `--random-faults` and `--fault-seed`.
    public var randomFaults: String?
    public var faultSeed: String?
    public var jobs: [String] = []
    /// Project ids whose generic packages reject duplicates.
    public var rejectingDuplicatePackages: [String] = []

    public init() {}
  }

  public struct Project: Sendable, Equatable {
    public let id: Int
    public let path: String
    public let jobTokenAllowlist: [Int]
  }

  /// A release or a protected tag: a project and a tag.
  public struct ProjectTag: Sendable, Equatable {
    public let projectID: Int
    public let tag: String
  }

  public struct PrivateToken: Sendable, Equatable {
    public let token: String
    public let projectID: Int
    public let role: ProjectRole
    public let scopes: [String]
  }

  public struct JobToken: Sendable, Equatable {
    public let token: String
    public let projectID: Int
    public let jobID: Int
    /// The role of the job's user.
    public let role: ProjectRole
  }

  public struct Artifacts: Sendable, Equatable {
    public let projectID: Int
    public let jobID: Int
    public let path: String
  }

  /// A successful job known by its ref and name.
  public struct Job: Sendable, Equatable {
    public let projectID: Int
    public let jobID: Int
    public let ref: String
    public let name: String
  }

  public private(set) var projects: [Project] = []
  public private(set) var releases: [ProjectTag] = []
  public private(set) var protectedTags: [ProjectTag] = []
  public private(set) var privateTokens: [PrivateToken] = []
  public private(set) var jobTokens: [JobToken] = []
  public private(set) var artifacts: [Artifacts] = []
  /// Milestones by title (`--milestone ID:TITLE`).
  public private(set) var milestones: [ProjectTag] = []
  /// Repository tags and branches (`--tag ID:TAG`, `--branch ID:NAME`).
  public private(set) var tags: [ProjectTag] = []
  public private(set) var branches: [ProjectTag] = []
  public private(set) var gitLabVersion: EmulatedVersion?
  public private(set) var rateLimit: RateLimiter?
  public private(set) var randomFaults: RandomFaultRates?
  /// The seed of the random faults' generator (`--fault-seed`, default 0).
  public private(set) var faultSeed: UInt64 = 0
  public private(set) var jobs: [Job] = []
  public private(set) var projectsRejectingDuplicatePackages: [Int] = []

  /// Parses every value; the first unusable one is refused with a sentence naming its flag and
  /// the form it expects. Tokens are never quoted back.
  public init(parsing arguments: Arguments) throws(SeedError) {
    for value in arguments.projects { projects.append(try Self.project(value)) }
    for value in arguments.releases {
      let release = try Self.projectTag(value, flag: "--release")
      guard projects.contains(where: { $0.id == release.projectID }) else {
        throw SeedError(
          "--release '\(value)': no project \(release.projectID); add it with "
            + "--project \(release.projectID):GROUP/NAME.")
      }
      releases.append(release)
    }
    for value in arguments.protectedTags {
      protectedTags.append(try Self.projectTag(value, flag: "--protected-tag"))
    }
    for value in arguments.privateTokens { privateTokens.append(try Self.privateToken(value)) }
    for value in arguments.jobTokens { jobTokens.append(try Self.jobToken(value)) }
    for value in arguments.artifacts { artifacts.append(try Self.artifacts(value)) }
    for value in arguments.milestones {
      milestones.append(try Self.projectTag(value, flag: "--milestone", example: "24:1.0"))
    }
    for value in arguments.tags { tags.append(try Self.projectTag(value, flag: "--tag")) }
    for value in arguments.branches {
      branches.append(try Self.projectTag(value, flag: "--branch", example: "24:main"))
    }
    for (flag, seeded) in [("--milestone", milestones), ("--tag", tags), ("--branch", branches)] {
      for seed in seeded where !projects.contains(where: { $0.id == seed.projectID }) {
        throw SeedError(
          "\(flag) '\(seed.projectID):\(seed.tag)': no project \(seed.projectID); add it with "
            + "--project \(seed.projectID):GROUP/NAME.")
      }
    }
    if let text = arguments.gitLabVersion {
      guard let version = EmulatedVersion(text) else {
        throw SeedError("--gitlab-version expects MAJOR.MINOR (e.g. 15.8), not '\(text)'.")
      }
      gitLabVersion = version
    }
    if let text = arguments.rateLimit {
      guard let limiter = RateLimiter(text) else {
        throw SeedError(
          "--rate-limit expects REQUESTS/SECONDS with both above 0 (e.g. 20/2), not '\(text)'.")
      }
      rateLimit = limiter
    }
    if let text = arguments.randomFaults { randomFaults = try RandomFaultRates(parsing: text) }
    if let text = arguments.faultSeed {
      guard randomFaults != nil else {
        throw SeedError("--fault-seed seeds --random-faults; give --random-faults too.")
      }
      guard let seed = UInt64(text) else {
        throw SeedError(
          "--fault-seed expects a whole number from 0 to \(UInt64.max), not '\(text)'.")
      }
      faultSeed = seed
    }
    for value in arguments.jobs { jobs.append(try Self.job(value)) }
    for value in arguments.rejectingDuplicatePackages {
      guard let id = Int(value) else {
        throw SeedError("--reject-duplicate-packages expects a project id, not '\(value)'.")
      }
      projectsRejectingDuplicatePackages.append(id)
    }
  }

  /// Seeds the emulator. One token given a role in several projects becomes one token with all
  /// those roles (and the scopes of its first mention).
  public func apply(to emulator: GitLabEmulator) {
    for project in projects {
      emulator.addProject(
        id: project.id, path: project.path, jobTokenAllowlist: project.jobTokenAllowlist)
    }
    for release in releases { emulator.addRelease(projectID: release.projectID, tag: release.tag) }
    for tag in protectedTags { emulator.protectTag(projectID: tag.projectID, tag: tag.tag) }
    var order: [String] = []
    var tokens: [String: (roles: [Int: ProjectRole], scopes: [String])] = [:]
    for seed in privateTokens {
      if tokens[seed.token] == nil { order.append(seed.token) }
      tokens[seed.token, default: ([:], seed.scopes)].roles[seed.projectID] = seed.role
    }
    for token in order {
      guard let entry = tokens[token] else { continue }
      emulator.addPrivateToken(token, roles: entry.roles, scopes: entry.scopes)
    }
    for seed in jobTokens {
      emulator.addJobToken(
        seed.token, projectID: seed.projectID, jobID: seed.jobID, role: seed.role)
    }
    for seed in artifacts {
      emulator.setArtifacts(projectID: seed.projectID, jobID: seed.jobID, fileAt: seed.path)
    }
    for seed in milestones { emulator.addMilestone(projectID: seed.projectID, title: seed.tag) }
    for seed in branches { emulator.addBranch(projectID: seed.projectID, name: seed.tag) }
    for seed in tags { emulator.addTag(projectID: seed.projectID, name: seed.tag) }
    if let gitLabVersion { emulator.setGitLabVersion(gitLabVersion) }
    if let rateLimit { emulator.setRateLimit(rateLimit) }
    if let randomFaults { emulator.setRandomFaults(randomFaults, seed: faultSeed) }
    for seed in jobs {
      emulator.addJob(projectID: seed.projectID, jobID: seed.jobID, name: seed.name, ref: seed.ref)
    }
    for id in projectsRejectingDuplicatePackages { emulator.rejectDuplicatePackages(projectID: id) }
  }

  // MARK: - One value of each flag

  private static func parts(_ value: String, limit: Int) -> [Substring] {
    value.split(separator: ":", maxSplits: limit - 1, omittingEmptySubsequences: false)
  }

  private static func project(_ value: String) throws(SeedError) -> Project {
    let parts = parts(value, limit: 3)
    guard parts.count >= 2, let id = Int(parts[0]), !parts[1].isEmpty else {
      throw SeedError(
        "--project expects ID:PATH[:ALLOWED_IDS] (e.g. 24:group/app), not '\(value)'.")
    }
    var allowlist: [Int] = []
    if parts.count == 3 {
      for item in parts[2].split(separator: ",") {
        guard let allowed = Int(item) else {
          throw SeedError("--project '\(value)': allowed project ids must be numbers.")
        }
        allowlist.append(allowed)
      }
    }
    return Project(id: id, path: String(parts[1]), jobTokenAllowlist: allowlist)
  }

  private static func projectTag(
    _ value: String, flag: String, example: String = "24:v1.0"
  ) throws(SeedError) -> ProjectTag {
    let parts = parts(value, limit: 2)
    guard parts.count == 2, let id = Int(parts[0]), !parts[1].isEmpty else {
      let form = flag == "--milestone" ? "ID:TITLE" : flag == "--branch" ? "ID:NAME" : "ID:TAG"
      throw SeedError("\(flag) expects \(form) (e.g. \(example)), not '\(value)'.")
    }
    return ProjectTag(projectID: id, tag: String(parts[1]))
  }

  private static func privateToken(_ value: String) throws(SeedError) -> PrivateToken {
    let parts = parts(value, limit: 4)
    guard parts.count >= 3, !parts[0].isEmpty, let id = Int(parts[1]) else {
      throw SeedError(
        "--private-token expects TOKEN:ID:ROLE[:SCOPES] (e.g. glpat-x:24:developer), "
          + "not the value given.")
    }
    guard let role = ProjectRole(rawValue: String(parts[2])) else {
      throw SeedError(
        "--private-token role must be guest, reporter, developer or maintainer, "
          + "not '\(parts[2])'.")
    }
    let scopes = parts.count == 4 ? parts[3].split(separator: ",").map(String.init) : ["api"]
    return PrivateToken(token: String(parts[0]), projectID: id, role: role, scopes: scopes)
  }

  private static func jobToken(_ value: String) throws(SeedError) -> JobToken {
    let parts = parts(value, limit: 4)
    guard parts.count >= 2, !parts[0].isEmpty, let id = Int(parts[1]),
      parts.count == 2 || Int(parts[2]) != nil
    else {
      throw SeedError(
        "--job-token expects TOKEN:ID[:JOB_ID[:ROLE]] (e.g. ci-job:24), not the value given.")
    }
    let job = parts.count >= 3 ? Int(parts[2]) ?? 1 : 1
    var role = ProjectRole.developer
    if parts.count == 4 {
      guard let given = ProjectRole(rawValue: String(parts[3])) else {
        throw SeedError(
          "--job-token role must be guest, reporter, developer or maintainer, not '\(parts[3])'.")
      }
      role = given
    }
    return JobToken(token: String(parts[0]), projectID: id, jobID: job, role: role)
  }

  private static func artifacts(_ value: String) throws(SeedError) -> Artifacts {
    let parts = parts(value, limit: 3)
    guard parts.count == 3, let id = Int(parts[0]), let job = Int(parts[1]), !parts[2].isEmpty
    else {
      throw SeedError(
        "--artifacts expects ID:JOB_ID:FILE (e.g. 24:7:artifacts.zip), not '\(value)'.")
    }
    let path = String(parts[2])
    guard access(path, R_OK) == 0 else {
      throw SeedError("--artifacts: cannot read '\(path)'.")
    }
    return Artifacts(projectID: id, jobID: job, path: path)
  }

  /// The name comes last: job names may hold colons (`test:unit`), refs may not.
  private static func job(_ value: String) throws(SeedError) -> Job {
    let parts = parts(value, limit: 4)
    guard parts.count == 4, let id = Int(parts[0]), let job = Int(parts[1]), !parts[2].isEmpty,
      !parts[3].isEmpty
    else {
      throw SeedError("--job expects ID:JOB_ID:REF:NAME (e.g. 24:7:main:build), not '\(value)'.")
    }
    return Job(projectID: id, jobID: job, ref: String(parts[2]), name: String(parts[3]))
  }
}

/// Why a seed value cannot be used: one sentence naming the flag and what it expects.
public struct SeedError: Error, CustomStringConvertible, Equatable, Sendable {
  public var message: String
  public var description: String { message }

  init(_ message: String) { self.message = message }
}
