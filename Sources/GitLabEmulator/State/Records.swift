struct ProjectRecord: Sendable {
  var id: Int
  var path: String
  /// Projects whose job tokens may reach this one.
  var jobTokenAllowlist: [Int]
  /// Tags only maintainers may create, so only they may write those tags' releases and links.
  var protectedTags: Set<String> = []
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
