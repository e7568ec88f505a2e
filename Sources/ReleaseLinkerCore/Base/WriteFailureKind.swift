/// How a failed write bears on what publishing does next.
public enum WriteFailureKind: Sendable, Equatable {
  /// The request may have been carried out although no answer came back (a reset or timeout after
  /// sending, a 5xx on a write): the links must be re-read before anything is resent.
  case ambiguous
  /// GitLab refused a value as "has already been taken": perhaps by an earlier attempt of this write.
  case alreadyTaken
  /// The release or link does not exist (404).
  case notFound
  /// The token was refused (401) or lacks permission (403): nothing else will succeed either.
  case authentication
  /// GitLab stayed unreachable or kept failing after the retries.
  case unavailable
  /// Any other refusal (a validation error): final for this link.
  case rejected
}

/// Errors that say how they bear on a write. Errors that do not conform count as ``WriteFailureKind/rejected``.
public protocol WriteFailureClassifying: Error {
  var writeFailureKind: WriteFailureKind { get }
}

extension WriteFailureKind {
  /// The kind of any error thrown by a write (a link store, an upload).
  public init(_ error: any Error) {
    if let classified = error as? any WriteFailureClassifying {
      self = classified.writeFailureKind
    } else {
      self = .rejected
    }
  }
}

/// An error after which no other request of the run can succeed for now, such as a rate limit that
/// lasts longer than `--max-wait`: publishing stops at once instead of giving every link its turn.
public protocol RunStoppingError: Error {}
