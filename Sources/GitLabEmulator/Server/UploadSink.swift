import NIOCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An upload's body written to disk and hashed as its parts arrive, so nothing but the current
/// part is ever held. Not `Sendable`: it belongs to the connection that receives it.
final class UploadSink {
  let path: String
  private var descriptor: Int32
  private var hasher = SHA256()
  private let maximumSize: Int
  private var received = 0
  private var exceededLimit = false
  private var failed = false

  /// `nil` when the file cannot be created.
  init?(path: String, maximumSize: Int) {
    descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return nil }
    self.path = path
    self.maximumSize = maximumSize
  }

  deinit { closeFile() }

  func write(_ part: ByteBuffer) {
    received += part.readableBytes
    if maximumSize > 0, received > maximumSize { exceededLimit = true }
    guard !exceededLimit, !failed else { return }
    part.withUnsafeReadableBytes { bytes in
      hasher.update(bytes)
      if !writeAll(descriptor, bytes) { failed = true }
    }
  }

  func finish() -> ReceivedUpload {
    closeFile()
    return ReceivedUpload(
      size: received, sha256: hasher.finalize(), exceededLimit: exceededLimit, failed: failed)
  }

  /// The body will never be stored: its file goes.
  func abort() {
    closeFile()
    unlink(path)
  }

  private func closeFile() {
    if descriptor >= 0 {
      closeDescriptor(descriptor)
      descriptor = -1
    }
  }
}
