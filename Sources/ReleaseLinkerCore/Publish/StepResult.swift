/// How one step of a plan ended.
public struct StepResult: Sendable, Equatable {
  public enum Status: String, Sendable, Codable {
    case planned
    case done
    case failed
  }

  public var status: Status
  /// The link as the server holds it after the step (nil for a deletion or a failure).
  public var link: ReleaseLink?
  /// GitLab's words or our sentence when the step failed.
  public var error: String?
  /// What kind of failure it was, for the exit code.
  public var failureKind: WriteFailureKind?
  /// True when no other write can succeed now either (a refused token, a rate limit longer than
  /// `--max-wait`): the run stops.
  public var stopsRun: Bool

  public init(
    status: Status, link: ReleaseLink? = nil, error: String? = nil,
    failureKind: WriteFailureKind? = nil, stopsRun: Bool = false
  ) {
    self.status = status
    self.link = link
    self.error = error
    self.failureKind = failureKind
    self.stopsRun = stopsRun || failureKind == .authentication
  }

  static func failed(_ error: any Error) -> StepResult {
    let message = (error as? any ReleaseLinkerError)?.message ?? "\(error)"
    return StepResult(
      status: .failed, error: message, failureKind: WriteFailureKind(error),
      stopsRun: error is any RunStoppingError)
  }
}
