import NIOCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a streamed response body comes from, read one chunk at a time on the event loop as the
/// client takes it. Not `Sendable`: it belongs to the connection that sends it.
protocol BodyReader: AnyObject {
  /// Appends up to `limit` bytes to `buffer`; 0 at the end of the body.
  func read(into buffer: inout ByteBuffer, limit: Int) throws(BodyReadError) -> Int
  func close()
}

struct BodyReadError: Error {
  var errno: Int32
}

/// A slice of a file, read with `pread` so nothing but the current chunk is held.
final class FileSliceReader: BodyReader {
  private var descriptor: Int32
  private var position: Int
  private let end: Int

  /// `nil` when the file cannot be opened.
  init?(path: String, offset: Int, length: Int) {
    descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    position = offset
    end = offset + length
  }

  func read(into buffer: inout ByteBuffer, limit: Int) throws(BodyReadError) -> Int {
    let wanted = min(limit, end - position)
    guard wanted > 0, descriptor >= 0 else { return 0 }
    var count = 0
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { raw in
      count = pread(descriptor, raw.baseAddress, wanted, off_t(position))
      return max(count, 0)
    }
    // A file that shrank since its size was taken ends the body early: the client sees a short
    // body, as it would from a truncated download.
    guard count >= 0 else { throw BodyReadError(errno: errno) }
    position += count
    return count
  }

  func close() {
    if descriptor >= 0 {
      closeDescriptor(descriptor)
      descriptor = -1
    }
  }

  deinit { close() }
}
