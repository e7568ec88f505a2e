internal import CCurl

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// libcurl's process-wide setup, done once before the first handle.
private let curlGlobalInitialization: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

/// How one transfer is carried out, beyond the request itself.
struct TransferOptions {
  /// Seconds the whole request may take; for downloads, seconds the transfer may stall.
  var timeout: Double
  /// A PEM bundle replacing the default trust store (the system bundle plus extra CAs), or nil.
  var trustedCertificates: [UInt8]?
  /// 2xx bodies are written to this file descriptor instead of being kept in memory.
  var bodyFileDescriptor: Int32?
}

/// What libcurl reported after a completed exchange.
struct TransferResult {
  var response: HTTPResponse
  /// Where a 3xx points, resolved against the request's URL.
  var redirectURL: String?
  /// True when the request went over a connection kept alive from an earlier request.
  var reusedConnection: Bool
}

/// The state of one transfer that libcurl's callbacks reach through their userdata pointer.
private final class TransferState {
  let handle: UnsafeMutableRawPointer
  let fileDescriptor: Int32?
  var status = 0
  var headers: [HTTPHeader] = []
  var body: [UInt8] = []
  var writesToFile: Bool?
  /// Bytes of body to keep before the transfer is stopped on purpose (``HTTPRequest/responseBodyLimit``).
  var bodyLimit: Int?
  var stoppedAtBodyLimit = false

  private var isSuccess: Bool {
    var code = 0
    _ = rl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
    return (200..<300).contains(code)
  }
  /// The first error raised inside a callback; the transfer is aborted and this is rethrown.
  var error: (any Error)?
  static let memoryLimit = 64 << 20

  init(handle: UnsafeMutableRawPointer, fileDescriptor: Int32?) {
    self.handle = handle
    self.fileDescriptor = fileDescriptor
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
    if let limit = bodyLimit, body.count + bytes.count > limit, isSuccess {
      // Only a success's body is cut short: a redirect must complete for libcurl to tell where it
      // points, and an error page is small.
      body.append(contentsOf: bytes.prefix(max(0, limit - body.count)))
      stoppedAtBodyLimit = true
      return 0
    }
    if writesToFile == nil {
      var code = 0
      _ = rl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
      writesToFile = fileDescriptor != nil && (200..<300).contains(code)
    }
    if writesToFile == true, let descriptor = fileDescriptor {
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
    guard body.count + bytes.count <= Self.memoryLimit else {
      error = ResponseTooLargeError()
      return 0
    }
    body.append(contentsOf: bytes)
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

/// A response body larger than any the API sends; the transfer was stopped.
struct ResponseTooLargeError: ReleaseLinkerError {
  var exitStatus: ExitStatus { .unavailable }
  var message: String { "GitLab's response was larger than 64 MiB; the request was stopped." }
}

// Capture-free trampolines: libcurl calls them with the TransferState passed as userdata.
private let headerTrampoline: rl_curl_data_callback = { data, size, count, userdata in
  guard let userdata else { return 0 }
  let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
  return state.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let writeTrampoline: rl_curl_data_callback = { data, size, count, userdata in
  guard let userdata else { return 0 }
  let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
  return state.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// One libcurl easy handle with everything libcurl points into during a transfer: the header list, the
/// request body and the error buffer. Reusing the handle reuses its kept-alive connections.
///
/// Not `Sendable`: one thread at a time uses a handle; ``HTTPTransport`` hands them out.
final class CurlEasyHandle {
  private let raw: UnsafeMutableRawPointer
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private var headerList: UnsafeMutablePointer<curl_slist>?
  private var requestBody: UnsafeMutableRawBufferPointer?
  /// The streamed body of the current transfer, when it has one.
  private var uploadState: UploadState?

  init() throws {
    guard curlGlobalInitialization == CURLE_OK, let raw = curl_easy_init() else {
      throw TransportError(
        kind: .other, method: .get, server: "libcurl",
        detail: "libcurl could not be initialised", requestMayHaveReachedServer: false)
    }
    self.raw = raw
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
  }

  deinit {
    curl_easy_cleanup(raw)
    curl_slist_free_all(headerList)
    requestBody?.deallocate()
    errorBuffer.deallocate()
  }

  /// Sends `request` once (no redirects followed, no retries) and returns the response.
  func perform(_ request: HTTPRequest, options: TransferOptions) throws -> TransferResult {
    curl_easy_reset(raw)
    releaseRequestResources()
    errorBuffer[0] = 0
    let server = URLOrigin(request.url)?.hostAndPort ?? request.url

    try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer), server: server)
    try set(CURLOPT_URL, string: request.url, server: server)
    try set(CURLOPT_PROTOCOLS_STR, string: "http,https", server: server)
    try set(CURLOPT_NOSIGNAL, long: 1, server: server)
    try set(CURLOPT_FOLLOWLOCATION, long: 0, server: server)
    try set(CURLOPT_SSL_VERIFYPEER, long: 1, server: server)
    try set(CURLOPT_SSL_VERIFYHOST, long: 2, server: server)
    try set(
      CURLOPT_USERAGENT, string: "release-linker/\(ReleaseLinkerVersion.current)", server: server)
    let milliseconds = Int(min(options.timeout * 1000, Double(Int32.max)))
    try set(CURLOPT_CONNECTTIMEOUT_MS, long: milliseconds, server: server)
    if options.bodyFileDescriptor != nil {
      // A large download may take long; what matters is that it keeps moving.
      try set(CURLOPT_LOW_SPEED_LIMIT, long: 1, server: server)
      try set(CURLOPT_LOW_SPEED_TIME, long: max(1, Int(options.timeout)), server: server)
    } else {
      try set(CURLOPT_TIMEOUT_MS, long: milliseconds, server: server)
    }
    if let bundle = options.trustedCertificates {
      // CURL_BLOB_COPY: libcurl copies the bytes and never writes through the pointer.
      let code = bundle.withUnsafeBytes { buffer in
        rl_easy_setopt_blob_copy(
          raw, CURLOPT_CAINFO_BLOB, UnsafeMutableRawPointer(mutating: buffer.baseAddress),
          buffer.count)
      }
      try check(code, option: "CAINFO_BLOB", server: server)
    }

    for header in request.headers {
      headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
    }
    // No "Expect: 100-continue" round trip before small bodies.
    headerList = curl_slist_append(headerList, "Expect:")
    try check(
      rl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, headerList), option: "HTTPHEADER",
      server: server)

    switch request.method {
    case .get:
      try set(CURLOPT_HTTPGET, long: 1, server: server)
    case .post, .put:
      if let upload = request.upload {
        try prepareUpload(upload, method: request.method, timeout: options.timeout, server: server)
        break
      }
      let bytes = request.body ?? []
      let buffer = UnsafeMutableRawBufferPointer.allocate(
        byteCount: max(1, bytes.count), alignment: 1)
      buffer.copyBytes(from: bytes)
      requestBody = buffer
      try set(CURLOPT_POST, long: 1, server: server)
      try check(
        rl_easy_setopt_off_t(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)),
        option: "POSTFIELDSIZE_LARGE", server: server)
      try set(CURLOPT_POSTFIELDS, pointer: buffer.baseAddress, server: server)
      if request.method == .put {
        try set(CURLOPT_CUSTOMREQUEST, string: "PUT", server: server)
      }
    case .delete:
      try set(CURLOPT_CUSTOMREQUEST, string: "DELETE", server: server)
    case .head:
      try set(CURLOPT_NOBODY, long: 1, server: server)
    }

    let state = TransferState(handle: raw, fileDescriptor: options.bodyFileDescriptor)
    state.bodyLimit = request.responseBodyLimit
    let userdata = Unmanaged.passRetained(state)
    defer { userdata.release() }
    try check(
      rl_easy_setopt_callback(raw, CURLOPT_HEADERFUNCTION, headerTrampoline),
      option: "HEADERFUNCTION",
      server: server)
    try set(CURLOPT_HEADERDATA, pointer: userdata.toOpaque(), server: server)
    try check(
      rl_easy_setopt_callback(raw, CURLOPT_WRITEFUNCTION, writeTrampoline), option: "WRITEFUNCTION",
      server: server)
    try set(CURLOPT_WRITEDATA, pointer: userdata.toOpaque(), server: server)

    let code = curl_easy_perform(raw)
    defer { releaseRequestResources() }
    if let error = state.error { throw error }
    if let error = uploadState?.error { throw error }
    guard code == CURLE_OK || (code == CURLE_WRITE_ERROR && state.stoppedAtBodyLimit) else {
      var osErrno = 0
      var requestSize = 0
      _ = rl_easy_getinfo_long(raw, CURLINFO_OS_ERRNO, &osErrno)
      _ = rl_easy_getinfo_long(raw, CURLINFO_REQUEST_SIZE, &requestSize)
      let detail =
        errorBuffer[0] != 0
        ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
      throw TransportError(
        curlCode: Int(code.rawValue), osErrno: Int32(truncatingIfNeeded: osErrno),
        method: request.method,
        server: server, detail: detail, requestBytesSent: requestSize,
        timeoutSeconds: options.timeout)
    }
    var status = 0
    _ = rl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
    var newConnections = 0
    _ = rl_easy_getinfo_long(raw, CURLINFO_NUM_CONNECTS, &newConnections)
    var redirect: UnsafeMutablePointer<CChar>?
    _ = rl_easy_getinfo_string(raw, CURLINFO_REDIRECT_URL, &redirect)
    let response = HTTPResponse(
      status: status, headers: state.headers, body: state.body, url: request.url)
    return TransferResult(
      response: response, redirectURL: redirect.map { String(cString: $0) },
      reusedConnection: newConnections == 0)
  }

  private func releaseRequestResources() {
    curl_slist_free_all(headerList)
    headerList = nil
    requestBody?.deallocate()
    requestBody = nil
    uploadState = nil
  }

  private func set(_ option: CURLoption, long value: Int, server: String) throws {
    try check(rl_easy_setopt_long(raw, option, value), option: "\(option.rawValue)", server: server)
  }

  private func set(_ option: CURLoption, string value: String, server: String) throws {
    // libcurl copies string options, so the temporary C string need not outlive the call.
    try check(
      rl_easy_setopt_string(raw, option, value), option: "\(option.rawValue)", server: server)
  }

  private func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?, server: String)
    throws
  {
    try check(
      rl_easy_setopt_pointer(raw, option, value), option: "\(option.rawValue)", server: server)
  }

  private func check(_ code: CURLcode, option: String, server: String) throws {
    guard code == CURLE_OK else {
      throw TransportError(
        kind: code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT
          ? .invalidURL : .other,
        method: .get, server: server,
        detail: "libcurl refused option \(option): \(String(cString: curl_easy_strerror(code)))",
        requestMayHaveReachedServer: false)
    }
  }
}

// MARK: Streamed uploads

extension CurlEasyHandle {
  /// A PUT (or POST) whose body libcurl pulls through ``readTrampoline`` from a reader opened for
  /// this attempt. A large upload may take long: instead of a deadline for the whole request, it
  /// is stopped when nothing moves for `timeout` seconds.
  fileprivate func prepareUpload(
    _ upload: UploadBody, method: HTTPMethod, timeout: Double, server: String
  ) throws {
    let state = UploadState(body: upload, reader: try upload.open())
    uploadState = state
    let userdata = Unmanaged.passUnretained(state).toOpaque()
    if method == .put {
      try set(CURLOPT_UPLOAD, long: 1, server: server)
      try check(
        rl_easy_setopt_off_t(raw, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.length)),
        option: "INFILESIZE_LARGE", server: server)
    } else {
      try set(CURLOPT_POST, long: 1, server: server)
      try check(
        rl_easy_setopt_off_t(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(upload.length)),
        option: "POSTFIELDSIZE_LARGE", server: server)
    }
    // Fewer, larger reads: each one is a system call on the source and a pass of libcurl's loop.
    try set(CURLOPT_UPLOAD_BUFFERSIZE, long: UploadState.bufferSize, server: server)
    try check(
      rl_easy_setopt_callback(raw, CURLOPT_READFUNCTION, readTrampoline), option: "READFUNCTION",
      server: server)
    try set(CURLOPT_READDATA, pointer: userdata, server: server)
    try check(
      rl_easy_setopt_seek_callback(raw, CURLOPT_SEEKFUNCTION, seekTrampoline),
      option: "SEEKFUNCTION", server: server)
    try set(CURLOPT_SEEKDATA, pointer: userdata, server: server)
    try set(CURLOPT_TIMEOUT_MS, long: 0, server: server)
    try set(CURLOPT_LOW_SPEED_LIMIT, long: 1, server: server)
    try set(CURLOPT_LOW_SPEED_TIME, long: max(1, Int(timeout.rounded(.up))), server: server)
  }
}

/// The reader of the current attempt and what it has handed over; an error raised while reading is
/// kept here, the transfer aborted, and the error rethrown after `curl_easy_perform`.
private final class UploadState {
  static let bufferSize = 512 * 1024
  let body: UploadBody
  var reader: any UploadReader
  var sent: Int64 = 0
  var error: (any Error)?

  init(body: UploadBody, reader: any UploadReader) {
    self.body = body
    self.reader = reader
  }

  func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
    let remaining = body.length - sent
    do {
      guard remaining > 0 else {
        // The announced length is sent; a source with more to give has changed since its scan.
        var probe: UInt8 = 0
        let more = try withUnsafeMutableBytes(of: &probe) { try reader.read(into: $0) }
        if more > 0 { throw UploadSourceChangedError(announced: body.length, actual: sent + 1) }
        return 0
      }
      let window = UnsafeMutableRawBufferPointer(
        rebasing: buffer[0..<Int(min(Int64(buffer.count), remaining))])
      let count = try reader.read(into: window)
      if count == 0 { throw UploadSourceChangedError(announced: body.length, actual: sent) }
      sent += Int64(count)
      body.progress?(sent)
      return count
    } catch {
      self.error = error
      return Int(CURL_READFUNC_ABORT)
    }
  }

  /// libcurl rewinds only to the start; the source is opened afresh for it, but only while no byte
  /// of the body has gone out. Past that, a rewind is libcurl about to send the whole upload again on
  /// a fresh connection because the kept-alive one died without an answer — which is also what an
  /// upload that landed and lost its answer looks like. Refused, the transfer fails instead, and the
  /// caller looks at what the server holds before sending anything again.
  func rewind(to offset: Int64, origin: Int32) -> Int32 {
    guard offset == 0, origin == SEEK_SET, sent == 0 else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
    do {
      reader = try body.open()
      sent = 0
      body.progress?(0)
      return Int32(CURL_SEEKFUNC_OK)
    } catch {
      self.error = error
      return Int32(CURL_SEEKFUNC_FAIL)
    }
  }
}

private let readTrampoline: rl_curl_data_callback = { data, size, count, userdata in
  guard let userdata, let data else { return Int(CURL_READFUNC_ABORT) }
  let state = Unmanaged<UploadState>.fromOpaque(userdata).takeUnretainedValue()
  return state.fill(UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

private let seekTrampoline: rl_curl_seek_callback = { userdata, offset, origin in
  guard let userdata else { return Int32(CURL_SEEKFUNC_FAIL) }
  let state = Unmanaged<UploadState>.fromOpaque(userdata).takeUnretainedValue()
  return state.rewind(to: Int64(offset), origin: origin)
}
