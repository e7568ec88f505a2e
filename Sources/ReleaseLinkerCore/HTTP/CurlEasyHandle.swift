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
  /// Seconds the whole request may take, connecting and any download included.
  var timeout: Double
  /// Seconds a download may go without receiving a byte before it is stopped, or nil.
  var stallTimeout: Double?
  /// A PEM bundle replacing the default trust store (the system bundle plus extra CAs), or nil.
  var trustedCertificates: [UInt8]?
  /// 2xx bodies are written to this file descriptor instead of being kept in memory.
  var bodyFileDescriptor: Int32?
  /// The most bytes a body written to ``bodyFileDescriptor`` may have, or nil for no limit.
  var maximumFileBytes: Int64?
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
  let maximumFileBytes: Int64?
  var fileBytes: Int64 = 0
  var status = 0
  var headers: [HTTPHeader] = []
  var body: [UInt8] = []
  var writesToFile: Bool?
  /// The first error raised inside a callback; the transfer is aborted and this is rethrown.
  var error: (any Error)?
  static let memoryLimit = 64 << 20

  init(handle: UnsafeMutableRawPointer, fileDescriptor: Int32?, maximumFileBytes: Int64?) {
    self.handle = handle
    self.fileDescriptor = fileDescriptor
    self.maximumFileBytes = maximumFileBytes
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
    if writesToFile == nil {
      var code = 0
      _ = rl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
      writesToFile = fileDescriptor != nil && (200..<300).contains(code)
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

/// A libcurl option together with its name, so a refusal can say which option it was.
private struct CurlOption {
  let code: CURLoption
  let name: String

  init(_ code: CURLoption, _ name: String) {
    self.code = code
    self.name = name
  }

  static let errorBuffer = CurlOption(CURLOPT_ERRORBUFFER, "CURLOPT_ERRORBUFFER")
  static let url = CurlOption(CURLOPT_URL, "CURLOPT_URL")
  static let protocols = CurlOption(CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR")
  static let noSignal = CurlOption(CURLOPT_NOSIGNAL, "CURLOPT_NOSIGNAL")
  static let followLocation = CurlOption(CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION")
  static let verifyPeer = CurlOption(CURLOPT_SSL_VERIFYPEER, "CURLOPT_SSL_VERIFYPEER")
  static let verifyHost = CurlOption(CURLOPT_SSL_VERIFYHOST, "CURLOPT_SSL_VERIFYHOST")
  static let userAgent = CurlOption(CURLOPT_USERAGENT, "CURLOPT_USERAGENT")
  static let connectTimeout = CurlOption(CURLOPT_CONNECTTIMEOUT_MS, "CURLOPT_CONNECTTIMEOUT_MS")
  static let timeout = CurlOption(CURLOPT_TIMEOUT_MS, "CURLOPT_TIMEOUT_MS")
  static let lowSpeedLimit = CurlOption(CURLOPT_LOW_SPEED_LIMIT, "CURLOPT_LOW_SPEED_LIMIT")
  static let lowSpeedTime = CurlOption(CURLOPT_LOW_SPEED_TIME, "CURLOPT_LOW_SPEED_TIME")
  static let caInfoBlob = CurlOption(CURLOPT_CAINFO_BLOB, "CURLOPT_CAINFO_BLOB")
  static let httpHeader = CurlOption(CURLOPT_HTTPHEADER, "CURLOPT_HTTPHEADER")
  static let httpGet = CurlOption(CURLOPT_HTTPGET, "CURLOPT_HTTPGET")
  static let post = CurlOption(CURLOPT_POST, "CURLOPT_POST")
  static let postFieldSize = CurlOption(
    CURLOPT_POSTFIELDSIZE_LARGE, "CURLOPT_POSTFIELDSIZE_LARGE")
  static let postFields = CurlOption(CURLOPT_POSTFIELDS, "CURLOPT_POSTFIELDS")
  static let customRequest = CurlOption(CURLOPT_CUSTOMREQUEST, "CURLOPT_CUSTOMREQUEST")
  static let headerFunction = CurlOption(CURLOPT_HEADERFUNCTION, "CURLOPT_HEADERFUNCTION")
  static let headerData = CurlOption(CURLOPT_HEADERDATA, "CURLOPT_HEADERDATA")
  static let writeFunction = CurlOption(CURLOPT_WRITEFUNCTION, "CURLOPT_WRITEFUNCTION")
  static let writeData = CurlOption(CURLOPT_WRITEDATA, "CURLOPT_WRITEDATA")
}

/// One libcurl easy handle with everything libcurl points into during a transfer: the header list, the
/// request body and the error buffer. Reusing the handle reuses its kept-alive connections.
///
/// Not `Sendable` (see the unavailable conformance below): one thread at a time uses a handle;
/// ``HTTPTransport`` hands them out.
final class CurlEasyHandle {
  private let raw: UnsafeMutableRawPointer
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private var headerList: UnsafeMutablePointer<curl_slist>?
  private var requestBody: UnsafeMutableRawBufferPointer?

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

  /// What an option refusal names: the request's real method and its server.
  private struct RequestLabel {
    let method: HTTPMethod
    let server: String
  }

  /// Sends `request` once (no redirects followed, no retries) and returns the response.
  func perform(_ request: HTTPRequest, options: TransferOptions) throws -> TransferResult {
    let label = RequestLabel(
      method: request.method, server: URLOrigin(request.url)?.hostAndPort ?? request.url)
    startAfresh()
    defer { releaseRequestResources() }
    try setTarget(request.url, label)
    try setTimeouts(options, label)
    try setTrustStore(options.trustedCertificates, label)
    try setHeaders(request.headers, label)
    try setMethodAndBody(request, label)
    let state = TransferState(
      handle: raw, fileDescriptor: options.bodyFileDescriptor,
      maximumFileBytes: options.maximumFileBytes)
    let userdata = Unmanaged.passRetained(state)
    defer { userdata.release() }
    try setCallbacks(userdata.toOpaque(), label)

    let code = curl_easy_perform(raw)
    if let error = state.error { throw error }
    guard code == CURLE_OK else { throw transferError(code, request: request, options: options) }
    return result(of: state, request: request)
  }

  // MARK: The steps of a transfer

  /// Forgets every option of the previous transfer (connections stay) and what it pointed at.
  private func startAfresh() {
    curl_easy_reset(raw)
    releaseRequestResources()
    errorBuffer[0] = 0
  }

  /// The URL, HTTP(S) only, verified TLS, no redirects followed by libcurl (the transport follows
  /// them itself, to keep credentials on their origin), and no signals (we run on many threads).
  private func setTarget(_ url: String, _ label: RequestLabel) throws {
    try set(.errorBuffer, pointer: UnsafeMutableRawPointer(errorBuffer), label)
    try set(.url, string: url, label)
    try set(.protocols, string: "http,https", label)
    try set(.noSignal, long: 1, label)
    try set(.followLocation, long: 0, label)
    try set(.verifyPeer, long: 1, label)
    try set(.verifyHost, long: 2, label)
    try set(.userAgent, string: "release-linker/\(ReleaseLinkerVersion.current)", label)
  }

  /// `timeout` bounds the whole request, downloads included; a download that stops moving for
  /// `stallTimeout` is stopped sooner. libcurl reads 0 ms as "no limit", so nothing below 1 ms
  /// is ever set.
  private func setTimeouts(_ options: TransferOptions, _ label: RequestLabel) throws {
    let milliseconds = Self.milliseconds(options.timeout)
    try set(.connectTimeout, long: milliseconds, label)
    try set(.timeout, long: milliseconds, label)
    if let stall = options.stallTimeout {
      try set(.lowSpeedLimit, long: 1, label)
      try set(.lowSpeedTime, long: max(1, Int(stall.rounded(.up))), label)
    }
  }

  private func setTrustStore(_ bundle: [UInt8]?, _ label: RequestLabel) throws {
    guard let bundle else { return }
    // CURL_BLOB_COPY: libcurl copies the bytes and never writes through the pointer.
    let code = bundle.withUnsafeBytes { buffer in
      rl_easy_setopt_blob_copy(
        raw, CurlOption.caInfoBlob.code, UnsafeMutableRawPointer(mutating: buffer.baseAddress),
        buffer.count)
    }
    try check(code, .caInfoBlob, label)
  }

  private func setHeaders(_ headers: [HTTPHeader], _ label: RequestLabel) throws {
    for header in headers {
      headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
    }
    // No "Expect: 100-continue" round trip before small bodies.
    headerList = curl_slist_append(headerList, "Expect:")
    try check(rl_easy_setopt_slist(raw, CurlOption.httpHeader.code, headerList), .httpHeader, label)
  }

  private func setMethodAndBody(_ request: HTTPRequest, _ label: RequestLabel) throws {
    switch request.method {
    case .get:
      try set(.httpGet, long: 1, label)
    case .post, .put:
      let bytes = request.body ?? []
      let buffer = UnsafeMutableRawBufferPointer.allocate(
        byteCount: max(1, bytes.count), alignment: 1)
      buffer.copyBytes(from: bytes)
      requestBody = buffer
      try set(.post, long: 1, label)
      try check(
        rl_easy_setopt_off_t(raw, CurlOption.postFieldSize.code, curl_off_t(bytes.count)),
        .postFieldSize, label)
      try set(.postFields, pointer: buffer.baseAddress, label)
      if request.method == .put { try set(.customRequest, string: "PUT", label) }
    case .delete:
      try set(.customRequest, string: "DELETE", label)
    }
  }

  private func setCallbacks(_ userdata: UnsafeMutableRawPointer, _ label: RequestLabel) throws {
    try check(
      rl_easy_setopt_callback(raw, CurlOption.headerFunction.code, headerTrampoline),
      .headerFunction, label)
    try set(.headerData, pointer: userdata, label)
    try check(
      rl_easy_setopt_callback(raw, CurlOption.writeFunction.code, writeTrampoline),
      .writeFunction, label)
    try set(.writeData, pointer: userdata, label)
  }

  /// The typed error for a transfer libcurl could not complete, with its own words.
  private func transferError(_ code: CURLcode, request: HTTPRequest, options: TransferOptions)
    -> TransportError
  {
    var osErrno = 0
    var requestSize = 0
    _ = rl_easy_getinfo_long(raw, CURLINFO_OS_ERRNO, &osErrno)
    _ = rl_easy_getinfo_long(raw, CURLINFO_REQUEST_SIZE, &requestSize)
    let detail =
      errorBuffer[0] != 0
      ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
    return TransportError(
      curlCode: Int(code.rawValue), osErrno: Int32(truncatingIfNeeded: osErrno),
      method: request.method, server: URLOrigin(request.url)?.hostAndPort ?? request.url,
      detail: detail, requestBytesSent: requestSize, timeoutSeconds: options.timeout)
  }

  /// The response as the callbacks collected it, where a redirect points, and whether the
  /// connection was reused.
  private func result(of state: TransferState, request: HTTPRequest) -> TransferResult {
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
  }

  static func milliseconds(_ seconds: Double) -> Int {
    Int(max(1, min((seconds * 1000).rounded(.up), Double(Int32.max))))
  }

  // MARK: Typed options

  private func set(_ option: CurlOption, long value: Int, _ label: RequestLabel) throws {
    try check(rl_easy_setopt_long(raw, option.code, value), option, label)
  }

  private func set(_ option: CurlOption, string value: String, _ label: RequestLabel) throws {
    // libcurl copies string options, so the temporary C string need not outlive the call.
    try check(rl_easy_setopt_string(raw, option.code, value), option, label)
  }

  private func set(
    _ option: CurlOption, pointer value: UnsafeMutableRawPointer?, _ label: RequestLabel
  ) throws {
    try check(rl_easy_setopt_pointer(raw, option.code, value), option, label)
  }

  private func check(_ code: CURLcode, _ option: CurlOption, _ label: RequestLabel) throws {
    guard code != CURLE_OK else { return }
    throw TransportError(
      kind: code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT
        ? .invalidURL : .optionRefused,
      method: label.method, server: label.server,
      detail: "libcurl refused the option \(option.name) for this \(label.method.rawValue) "
        + "request: \(String(cString: curl_easy_strerror(code)))",
      requestMayHaveReachedServer: false)
  }
}

@available(*, unavailable)
extension CurlEasyHandle: Sendable {}
