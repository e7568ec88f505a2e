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

struct ArtifactKey: Hashable, Sendable {
  var projectID: Int
  var jobID: Int
}

struct PackageFileKey: Hashable, Sendable {
  var projectID: Int
  var name: String
  var version: String
  var file: String
}

/// A queue of faults for the requests whose method matches and whose raw path ends with the suffix.
struct FaultScript: Sendable {
  var method: String
  var pathSuffix: String
  var faults: [ScriptedFault]
}
