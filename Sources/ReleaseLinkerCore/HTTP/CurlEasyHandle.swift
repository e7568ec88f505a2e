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
  /// Seconds the whole request may take, connecting and any download included, or nil for no
  /// limit on the whole (an upload, which is bounded by ``stallTimeout`` instead).
  var timeout: Double?
  /// Seconds a download or an upload may go without moving a byte before it is stopped, or nil.
  var stallTimeout: Double?
  /// A PEM bundle replacing the default trust store (the system bundle plus extra CAs), or nil.
  var trustedCertificates: [UInt8]?
  /// 2xx bodies are written to this file descriptor instead of being kept in memory.
  var bodyFileDescriptor: Int32?
  /// The most bytes a body written to ``bodyFileDescriptor`` may have, or nil for no limit.
  var maximumFileBytes: Int64?

  /// The limit a timeout error names: the whole request's, or else the stall's.
  var shownTimeout: Double { timeout ?? stallTimeout ?? 0 }
}

/// What libcurl reported after a completed exchange.
struct TransferResult {
  var response: HTTPResponse
  /// Where a 3xx points, resolved against the request's URL.
  var redirectURL: String?
  /// True when the request went over a connection kept alive from an earlier request.
  var reusedConnection: Bool
}

/// One libcurl easy handle with everything libcurl points into during a transfer: the header list, the
/// request body, the streamed upload and the error buffer. Reusing the handle reuses its kept-alive
/// connections. The callbacks' state is in `CurlTransferState.swift` and `CurlUploadState.swift`.
///
/// Not `Sendable` (see the unavailable conformance below): one thread at a time uses a handle;
/// ``HTTPTransport`` hands them out.
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
    state.bodyLimit = request.responseBodyLimit
    let userdata = Unmanaged.passRetained(state)
    defer { userdata.release() }
    try setCallbacks(userdata.toOpaque(), label)

    let code = curl_easy_perform(raw)
    if let error = state.error { throw error }
    if let error = uploadState?.error { throw error }
    guard code == CURLE_OK || (code == CURLE_WRITE_ERROR && state.stoppedAtBodyLimit) else {
      throw transferError(code, request: request, options: options)
    }
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

  /// `timeout` bounds the whole request, downloads included; a transfer that stops moving for
  /// `stallTimeout` is stopped sooner. libcurl reads 0 ms as "no limit", so nothing below 1 ms
  /// is ever set.
  private func setTimeouts(_ options: TransferOptions, _ label: RequestLabel) throws {
    let connect = min(options.timeout ?? .infinity, options.stallTimeout ?? .infinity)
    try set(.connectTimeout, long: Self.milliseconds(connect), label)
    if let timeout = options.timeout {
      try set(.timeout, long: Self.milliseconds(timeout), label)
    }
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
      if let upload = request.upload {
        try setStreamedBody(upload, label)
        return
      }
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
    case .head:
      try set(.noBody, long: 1, label)
    }
  }

  /// A PUT (or POST) whose body libcurl pulls through ``curlReadCallback`` from a reader opened
  /// for this attempt; a rewind reopens it (see ``UploadState/rewind(to:origin:)``).
  private func setStreamedBody(_ upload: UploadBody, _ label: RequestLabel) throws {
    let state = UploadState(body: upload, reader: try upload.open())
    uploadState = state
    let userdata = Unmanaged.passUnretained(state).toOpaque()
    let length = curl_off_t(upload.length)
    if label.method == .put {
      try set(.upload, long: 1, label)
      try check(rl_easy_setopt_off_t(raw, CurlOption.inFileSize.code, length), .inFileSize, label)
    } else {
      try set(.post, long: 1, label)
      try check(
        rl_easy_setopt_off_t(raw, CurlOption.postFieldSize.code, length), .postFieldSize, label)
    }
    // Fewer, larger reads: each one is a system call on the source and a pass of libcurl's loop.
    try set(.uploadBufferSize, long: UploadState.bufferSize, label)
    try check(
      rl_easy_setopt_callback(raw, CurlOption.readFunction.code, curlReadCallback),
      .readFunction, label)
    try set(.readData, pointer: userdata, label)
    try check(
      rl_easy_setopt_seek_callback(raw, CurlOption.seekFunction.code, curlSeekCallback),
      .seekFunction, label)
    try set(.seekData, pointer: userdata, label)
  }

  private func setCallbacks(_ userdata: UnsafeMutableRawPointer, _ label: RequestLabel) throws {
    try check(
      rl_easy_setopt_callback(raw, CurlOption.headerFunction.code, curlHeaderCallback),
      .headerFunction, label)
    try set(.headerData, pointer: userdata, label)
    try check(
      rl_easy_setopt_callback(raw, CurlOption.writeFunction.code, curlWriteCallback),
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
      detail: detail, requestBytesSent: requestSize, timeoutSeconds: options.shownTimeout)
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
    uploadState = nil
  }

  /// Whole milliseconds for libcurl, at least 1 (0 would mean "no limit") and at most `Int32.max`.
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
