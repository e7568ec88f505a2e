/// A route whose body is a file streamed to disk as it arrives. It is checked when the request's
/// head arrives, as Workhorse asks Rails to authorize an upload (`PUT …/authorize`) before it
/// reads the body, and carried out once the whole body is on disk.
struct UploadHandler: Sendable {
  typealias Authorize =
    @Sendable (RequestContext, inout EmulatorState) throws(Refusal) -> UploadTicket
  typealias Commit =
    @Sendable (RequestContext, UploadTicket, ReceivedUpload, inout EmulatorState) throws(Refusal)
    -> EmulatorResponse

  var authorize: Authorize
  var commit: Commit
}

/// What an accepted upload carries from its head to its end.
struct UploadTicket: Sendable {
  var projectID: Int
  var packageName: String
  var packageVersion: String
  var fileName: String
  var status: String?
  var selectsPackageFile: Bool
  /// Whether the package existed when the upload began (for the race GitLab can lose).
  var packageExisted: Bool
  /// Where the body is written as it arrives.
  var partPath: String
  /// Bytes beyond this are not written (0: no limit); the upload is then refused at its end.
  var maximumSize: Int
}

/// The body of an upload, as it was written to `UploadTicket.partPath`.
struct ReceivedUpload: Sendable {
  var size: Int
  /// Lowercase hex SHA-256 of the body (of what was written, when it was too large).
  var sha256: String
  var exceededLimit: Bool
  /// The disk refused a write: the upload cannot be stored.
  var failed: Bool
}
