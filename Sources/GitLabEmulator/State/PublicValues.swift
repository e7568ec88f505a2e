/// A member's role in a project, which decides what a personal access token may do there.
public enum ProjectRole: String, Sendable, CaseIterable {
  case guest, reporter, developer, maintainer

  /// Developers and maintainers may write releases, links and packages.
  var canWrite: Bool { self == .developer || self == .maintainer }

  /// GitLab's `access_level` number for the role.
  var accessLevel: Int {
    switch self {
    case .guest: 10
    case .reporter: 20
    case .developer: 30
    case .maintainer: 40
    }
  }

  /// Whether the role is `role` or above it (guest < reporter < developer < maintainer).
  func isAtLeast(_ role: ProjectRole) -> Bool {
    let order = ProjectRole.allCases
    return (order.firstIndex(of: self) ?? 0) >= (order.firstIndex(of: role) ?? 0)
  }
}

/// How a job ended; only successful jobs count for the by-ref artifact URLs.
public enum JobStatus: String, Sendable, CaseIterable {
  case success, failed, canceled, running
}

/// A release link as the emulator holds it.
public struct EmulatedLink: Sendable, Equatable {
  public var id: Int
  public var name: String
  public var url: String
  /// The link's path, with its leading slash (GitLab's `filepath` column), or `nil`.
  public var directAssetPath: String?
  public var linkType: String

  public init(id: Int, name: String, url: String, directAssetPath: String?, linkType: String) {
    self.id = id
    self.name = name
    self.url = url
    self.directAssetPath = directAssetPath
    self.linkType = linkType
  }
}

/// A release's own fields, as a test reads them back.
public struct EmulatedRelease: Sendable, Equatable {
  public var tag: String
  public var name: String
  public var description: String
  /// Milestone titles.
  public var milestones: [String]
  /// As set by a client (ISO 8601, milliseconds, UTC); nil when it was never set.
  public var releasedAt: String?
}

/// Counters since start (or the last reset).
public struct EmulatorStats: Sendable, Equatable {
  /// API requests received, faulted ones included (the emulator's own `/-/emulator` routes excluded).
  public var requests: Int
  /// Requests with POST, PUT, PATCH or DELETE among them.
  public var writes: Int
  /// TCP connections accepted.
  public var connections: Int
  /// Requests refused with 429 by the rate limit (`--rate-limit`), among `requests`.
  public var throttled: Int
  /// Generic package files stored by uploads, and the bytes they hold.
  public var uploads: Int
  public var uploadedBytes: Int
  /// Package files the registry holds now (a count of what is there, not reset with the counters).
  public var packageFiles: Int
  /// Faults `--random-faults` injected, by kind (scripted faults are not counted here).
  public var faultsInjected: [RandomFaultKind: Int] = [:]

  public init(
    requests: Int = 0, writes: Int = 0, connections: Int = 0, uploads: Int = 0,
    uploadedBytes: Int = 0, packageFiles: Int = 0, throttled: Int = 0
  ) {
    self.requests = requests
    self.writes = writes
    self.connections = connections
    self.uploads = uploads
    self.uploadedBytes = uploadedBytes
    self.packageFiles = packageFiles
    self.throttled = throttled
  }
}

/// One API request as the emulator saw it. Credentials appear by header name only, never by value.
public struct LoggedRequest: Sendable, Equatable {
  public var method: String
  /// The path as sent (still percent-encoded), without the query string.
  public var rawPath: String
  /// Names of the credential headers sent (`PRIVATE-TOKEN`, `JOB-TOKEN`, `Authorization`), as spelled.
  public var authHeaderNames: [String]
  /// The status answered, or 0 when the connection was reset instead.
  public var status: Int
  /// When the request arrived, in seconds on a monotonic clock: the gaps between requests show
  /// how long a client waited (before retrying a 429, say). Not part of equality.
  public var receivedAt: Double

  public init(
    method: String, rawPath: String, authHeaderNames: [String], status: Int,
    receivedAt: Double = 0
  ) {
    self.method = method
    self.rawPath = rawPath
    self.authHeaderNames = authHeaderNames
    self.status = status
    self.receivedAt = receivedAt
  }

  public static func == (lhs: LoggedRequest, rhs: LoggedRequest) -> Bool {
    lhs.method == rhs.method && lhs.rawPath == rhs.rawPath
      && lhs.authHeaderNames == rhs.authHeaderNames && lhs.status == rhs.status
  }
}

/// A failure served instead of (or around) the normal answer to one request.
public enum ScriptedFault: Sendable {
  /// Answers with this status, body and headers without carrying the request out (e.g. a 503 page).
  case status(Int, body: String, headers: [(String, String)] = [])
  /// GitLab's throttling answer: 429, `text/plain`, `Retry later\n`, `Retry-After` and `RateLimit-*`.
  case tooManyRequests(retryAfter: String)
  /// Carries the request out and answers normally, this much later.
  case delay(milliseconds: Int)
  /// Resets the connection when the request arrives; nothing is carried out.
  case resetBeforeHandling
  /// Carries the request out (a write is committed, an upload stored), then resets the connection
  /// without answering.
  case resetAfterCommit
  /// Resets the connection once this many bytes of the request's body have arrived (at the end
  /// of the body if it is shorter); nothing is carried out. An upload that far is thrown away.
  case resetDuringBody(afterBytes: Int)
  /// Answers 200 with a truncated JSON body; the request is not carried out.
  case malformedBody
}
