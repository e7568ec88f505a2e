/// The links of one release, as publishing reads and writes them.
///
/// ``ReleaseLinksClient`` provides this for a project and tag; tests may substitute a model.
public protocol ReleaseLinkStore: Sendable {
  /// Every link of the release, all pages.
  func listLinks() throws -> [ReleaseLink]
  /// Creates a link. Implementations must not blindly resend a create whose outcome is unknown: they
  /// throw, and publishing decides by re-reading the links.
  func createLink(_ fields: LinkFields) throws -> ReleaseLink
  /// Replaces the link's fields.
  func updateLink(id: Int, _ fields: LinkFields) throws -> ReleaseLink
  /// Deletes the link.
  func deleteLink(id: Int) throws -> ReleaseLink
}

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
  /// The kind of any error thrown by a ``ReleaseLinkStore``.
  public init(_ error: any Error) {
    if let classified = error as? any WriteFailureClassifying {
      self = classified.writeFailureKind
    } else {
      self = .rejected
    }
  }
}
