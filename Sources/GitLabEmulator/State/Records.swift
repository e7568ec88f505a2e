struct ProjectRecord: Sendable {
  var id: Int
  var path: String
  /// Projects whose job tokens may reach this one.
  var jobTokenAllowlist: [Int]
  /// Tags only maintainers may create, so only they may write those tags' releases and links.
  var protectedTags: Set<String> = []
  /// The project's milestones, by title, in the order they were added.
  var milestones: [MilestoneRecord] = []
  /// The repository's branches and tags, once a test asks for them (`addBranch`, `addTag`); nil
  /// means the repository is not modelled and every tag exists.
  var repository: RepositoryRecord?
}

struct MilestoneRecord: Sendable {
  var id: Int
  var iid: Int
  var title: String
}

/// Branches and tags: enough of a repository for a release to need its tag, or a ref to make one.
struct RepositoryRecord: Sendable {
  var branches: Set<String> = ["main"]
  /// Tag names and their messages (nil for a lightweight tag).
  var tags: [String: String?] = [:]

  /// Whether `ref` names a branch, a tag or (by its look) a commit.
  func resolves(_ ref: String) -> Bool {
    if branches.contains(ref) || tags[ref] != nil { return true }
    return (7...40).contains(ref.count) && ref.allSatisfy { $0.isHexDigit }
  }
}

struct ReleaseRecord: Sendable {
  var projectID: Int
  var tag: String
  var name: String
  var description: String
  var createdAt: Int
  var sequence: Int
  /// Oldest first.
  var links: [EmulatedLink] = []
  /// When the release is (was) ready, in milliseconds since 1970; the creation time by default.
  var releasedAtMilliseconds: Int64? = nil
  /// Titles of the milestones the release belongs to.
  var milestones: [String] = []
}

struct PrivateTokenRecord: Sendable {
  var userID: Int
  var roles: [Int: ProjectRole]
  var scopes: [String]
}

struct JobTokenRecord: Sendable {
  var projectID: Int
  var jobID: Int
  var running: Bool
  /// The role of the job's user: a job token acts with its user's permissions.
  var role: ProjectRole
}

enum ArtifactSource: Sendable {
  case bytes([UInt8])
  case file(String)
  /// Stored elsewhere: GitLab answers 302 to this URL (object storage).
  case redirect(String)
}

struct ReleaseKey: Hashable, Sendable {
  var projectID: Int
  var tag: String
}

/// A job of a project (job ids are global in GitLab; the project is part of the key so a test may
/// seed the same id in two projects without one hiding the other).
struct JobKey: Hashable, Sendable {
  var projectID: Int
  var jobID: Int
}

/// A CI job as the by-ref artifact routes see it.
struct JobRecord: Sendable {
  var id: Int
  var name: String
  var ref: String
  var status: JobStatus
}

/// A queue of faults for the requests whose method matches and whose raw path ends with the suffix.
struct FaultScript: Sendable {
  var method: String
  var pathSuffix: String
  var faults: [ScriptedFault]
}
