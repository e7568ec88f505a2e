/// The process exit codes of `release-linker`, as the README's "Exit codes" table documents them.
///
/// Every error the core throws carries one of these, so that the CLI decides the exit code in one place.
public enum ExitStatus: Int32, Sendable, Codable {
  /// Every link is in the desired state, or the plan was printed.
  case success = 0
  /// Some operations failed, or the release or link does not exist.
  case failures = 1
  /// Usage or configuration error: a missing setting or a bad flag.
  case usage = 64
  /// Bad input data: unreadable or corrupt archive, derivation collision, PATH outside the root.
  case dataError = 65
  /// GitLab was unreachable or kept failing after the retries (network, TLS, 5xx, 429).
  case unavailable = 69
  /// Authentication or permission refused (401, 403).
  case noPermission = 77
}

/// An error that knows the sentence to show the user and the exit code it leads to.
public protocol ReleaseLinkerError: Error, Sendable {
  /// The exit code this error ends the run with.
  var exitStatus: ExitStatus { get }
  /// An actionable sentence for the user. It never contains a secret.
  var message: String { get }
}

/// A usage or configuration problem (exit 64): a missing setting, a bad flag value, a bad template.
public struct UsageError: ReleaseLinkerError, Equatable {
  public let message: String
  public var exitStatus: ExitStatus { .usage }

  public init(_ message: String) {
    self.message = message
  }
}

/// A problem with the input data (exit 65): a corrupt archive, a collision, a path outside the root.
public struct DataError: ReleaseLinkerError, Equatable {
  public let message: String
  public var exitStatus: ExitStatus { .dataError }

  public init(_ message: String) {
    self.message = message
  }
}
