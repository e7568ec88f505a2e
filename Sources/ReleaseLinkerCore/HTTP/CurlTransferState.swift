internal import CCurl

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The state of one transfer that libcurl's callbacks reach through their userdata pointer: the
/// response's status, headers and body (kept in memory, or streamed to a file for a download).
final class TransferState {
  let handle: UnsafeMutableRawPointer
  let fileDescriptor: Int32?
  let maximumFileBytes: Int64?
  var fileBytes: Int64 = 0
  var status = 0
  var headers: [HTTPHeader] = []
  var body: [UInt8] = []
  var writesToFile: Bool?
  /// Bytes of body to keep before the transfer is stopped on purpose (``HTTPRequest/responseBodyLimit``).
  var bodyLimit: Int?
  var stoppedAtBodyLimit = false
  /// The first error raised inside a callback; the transfer is aborted and this is rethrown.
  var error: (any Error)?
  static let memoryLimit = 64 << 20

  init(handle: UnsafeMutableRawPointer, fileDescriptor: Int32?, maximumFileBytes: Int64?) {
    self.handle = handle
    self.fileDescriptor = fileDescriptor
    self.maximumFileBytes = maximumFileBytes
  }

  private var responseCode: Int {
    var code = 0
    _ = rl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
    return code
  }

  func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
    // "\r\n" is one Character in Swift, so the line ending is stripped as bytes.
    var end = bytes.count
    while end > 0, bytes[end - 1] == 10 || bytes[end - 1] == 13 { end -= 1 }
    let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
      // A new status line (after a 1xx): the earlier headers belonged to another response.
      headers.removeAll()
      let fields = line.split(separator: " ", maxSplits: 2)
      status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
    } else if let colon = line.firstIndex(of: ":") {
      let name = String(line[..<colon])
      let value = String(line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" }))
      headers.append(HTTPHeader(name, value))
    }
    return bytes.count
  }

  func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
    if let limit = bodyLimit, body.count + bytes.count > limit, (200..<300).contains(responseCode) {
      // Only a success's body is cut short: a redirect must complete for libcurl to tell where it
      // points, and an error page is small.
      body.append(contentsOf: bytes.prefix(max(0, limit - body.count)))
      stoppedAtBodyLimit = true
      return 0
    }
    if writesToFile == nil {
      writesToFile = fileDescriptor != nil && (200..<300).contains(responseCode)
      if writesToFile == true, let limit = maximumFileBytes {
        // A declared length over the limit is refused before a byte reaches the disk.
        var declared: curl_off_t = -1
        _ = rl_easy_getinfo_off_t(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared)
        if declared > limit {
          error = DownloadTooLargeError(limit: limit, declared: Int64(declared))
          return 0
        }
      }
    }
    if writesToFile == true, let descriptor = fileDescriptor {
      return writeToFile(bytes, descriptor)
    }
    guard body.count + bytes.count <= Self.memoryLimit else {
      error = ResponseTooLargeError()
      return 0
    }
    body.append(contentsOf: bytes)
    return bytes.count
  }

  private func writeToFile(_ bytes: UnsafeRawBufferPointer, _ descriptor: Int32) -> Int {
    fileBytes += Int64(bytes.count)
    if let limit = maximumFileBytes, fileBytes > limit {
      error = DownloadTooLargeError(limit: limit, declared: nil)
      return 0
    }
    var offset = 0
    while offset < bytes.count {
      guard let base = bytes.baseAddress else { break }
      let written = write(descriptor, base + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        error = FileWriteError(errno: errno)
        return 0
      }
      offset += written
    }
    return bytes.count
  }
}

/// A file could not be written while a download streamed into it.
struct FileWriteError: ReleaseLinkerError {
  var errno: Int32
  var exitStatus: ExitStatus { .dataError }
  var message: String {
    "Writing the download to disk failed: \(String(cString: strerror(errno)))."
  }
}

/// A download grew past `--max-download-size`; it was stopped and its partial file discarded (65).
public struct DownloadTooLargeError: ReleaseLinkerError, Equatable {
  public var limit: Int64
  /// The size the server announced (`Content-Length`), when it announced one.
  public var declared: Int64?

  public var exitStatus: ExitStatus { .dataError }
  public var message: String {
    let size = declared.map { "is \($0) bytes" } ?? "grew past that"
    return "The download is larger than --max-download-size (\(limit) bytes): it \(size), and "
      + "was stopped before filling the disk. Raise --max-download-size if the archive really is "
      + "that large."
  }
}

/// A response body larger than any the API sends; the transfer was stopped.
struct ResponseTooLargeError: ReleaseLinkerError {
  var exitStatus: ExitStatus { .unavailable }
  var message: String { "GitLab's response was larger than 64 MiB; the request was stopped." }
}

// Capture-free callbacks: libcurl calls them with the TransferState passed as userdata.
let curlHeaderCallback: rl_curl_data_callback = { data, size, count, userdata in
  guard let userdata else { return 0 }
  let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
  return state.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}

let curlWriteCallback: rl_curl_data_callback = { data, size, count, userdata in
  guard let userdata else { return 0 }
  let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
  return state.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}
