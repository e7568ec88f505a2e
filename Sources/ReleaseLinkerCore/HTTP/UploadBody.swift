/// A request body that libcurl reads piece by piece while it sends it, straight from where the
/// bytes are (a file on disk, an entry of an archive): no temporary file, no buffer of the whole.
///
/// Every attempt of a request opens a fresh reader, and so does libcurl when it must rewind (a
/// kept-alive connection that turned out dead): a retried upload re-reads its source from the start.
public struct UploadBody: Sendable {
  /// The exact number of bytes the body has (sent as `Content-Length`).
  public var length: Int64
  /// Opens a reader positioned at the body's first byte.
  public var open: @Sendable () throws -> any UploadReader
  /// Called from the transfer's thread with the number of bytes handed to libcurl so far.
  public var progress: (@Sendable (_ sent: Int64) -> Void)?

  public init(
    length: Int64, open: @escaping @Sendable () throws -> any UploadReader,
    progress: (@Sendable (_ sent: Int64) -> Void)? = nil
  ) {
    self.length = length
    self.open = open
    self.progress = progress
  }
}

/// One pass over an upload's bytes. Used by one transfer on one thread at a time.
public protocol UploadReader: AnyObject {
  /// Fills the start of `buffer` with the next bytes and returns how many; 0 at the end.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// The source of an upload ended before the length it announced, or went on past it: the file
/// changed while it was being sent (exit 65).
public struct UploadSourceChangedError: ReleaseLinkerError, Equatable {
  public var announced: Int64
  public var actual: Int64
  public var exitStatus: ExitStatus { .dataError }
  public var message: String {
    actual < announced
      ? "The file being uploaded ended after \(actual) of its \(announced) bytes: it changed while it "
        + "was read. Nothing was stored; run the job again once the file is complete."
      : "The file being uploaded grew past the \(announced) bytes it had when it was scanned: it "
        + "changed while it was read. Nothing was stored; run the job again once it is complete."
  }
}
