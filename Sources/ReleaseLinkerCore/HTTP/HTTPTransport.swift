import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How the transport talks to the server.
public struct TransportSettings: Sendable {
  /// Seconds one request may take (`--timeout`), from connecting to the last byte.
  public var timeout: Double
  /// Seconds a download streamed to a file may take; without it, ``timeout``. A download that
  /// receives nothing for ``timeout`` seconds is stopped sooner.
  public var downloadTimeout: Double?
  /// The most bytes a download streamed to a file may have (`--max-download-size`), or nil.
  public var maximumDownloadBytes: Int64?
  public var retryPolicy: RetryPolicy
  /// How many idle handles (and so kept-alive connections) are kept for reuse (`--concurrency`).
  public var concurrency: Int
  /// A PEM bundle replacing the default trust store, when extra CAs are configured.
  public var trustedCertificates: [UInt8]?
  public var maximumRedirects: Int
  /// The end of the whole run (`--deadline`): no request starts after it or runs past it.
  public var deadline: Deadline?

  public init(
    timeout: Double = 30, retryPolicy: RetryPolicy = RetryPolicy(maximumRetries: 5),
    concurrency: Int = 4, trustedCertificates: [UInt8]? = nil, maximumRedirects: Int = 5,
    downloadTimeout: Double? = nil, maximumDownloadBytes: Int64? = nil, deadline: Deadline? = nil
  ) {
    self.timeout = timeout
    self.retryPolicy = retryPolicy
    self.concurrency = max(1, concurrency)
    self.trustedCertificates = trustedCertificates
    self.maximumRedirects = maximumRedirects
    self.downloadTimeout = downloadTimeout
    self.maximumDownloadBytes = maximumDownloadBytes
    self.deadline = deadline
  }
}

/// Where the transport reports what it does: `trace` (for `--verbose`, already redacted) and
/// `notice` (retries, always shown).
public struct TransportLog: Sendable {
  public var trace: (@Sendable (String) -> Void)?
  public var notice: (@Sendable (String) -> Void)?
  public var redactor: SecretRedactor

  public init(
    trace: (@Sendable (String) -> Void)? = nil, notice: (@Sendable (String) -> Void)? = nil,
    redactor: SecretRedactor = SecretRedactor(secrets: [])
  ) {
    self.trace = trace
    self.notice = notice
    self.redactor = redactor
  }
}

/// A handle lent to exactly one thread at a time by the pool; the pool's lock orders the hand-overs.
private struct PooledHandle: @unchecked Sendable {
  let handle: CurlEasyHandle
}

/// Sends HTTP requests over libcurl: reuses kept-alive connections through a pool of easy handles,
/// retries by its ``RetryPolicy``, and follows redirects itself so that credentials never travel to
/// another origin.
///
/// Calls block the calling thread; run them on threads of their own, never on the Swift concurrency
/// pool. Several threads may call at once: each takes its own handle.
public final class HTTPTransport: Sendable {
  public let settings: TransportSettings
  /// Paces every request sent through this transport to the server's rate limit.
  public let pacer: RateLimitPacer
  private let log: TransportLog
  private let idleHandles = Locked<[PooledHandle]>([])
  private let sleeper: @Sendable (Double) -> Void
  private let random: @Sendable () -> Double
  /// The current Unix time, for `Retry-After` dates and `RateLimit-Reset`.
  private let clock: @Sendable () -> Double

  public init(
    settings: TransportSettings, log: TransportLog = TransportLog(),
    sleeper: @escaping @Sendable (Double) -> Void = HTTPTransport.sleep,
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
    clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
  ) {
    self.settings = settings
    self.log = log
    self.sleeper = sleeper
    self.random = random
    self.clock = clock
    self.pacer = RateLimitPacer(
      maximumWait: settings.retryPolicy.maximumWait, clock: clock, sleeper: sleeper)
  }

  /// What hides the token in everything built from this transport's traffic.
  public var redactor: SecretRedactor { log.redactor }

  /// Sends `request`, retrying and following redirects. `credentials` (the token header) are added
  /// only while the URL's origin equals `credentialsOrigin` (by default the request's own).
  /// When `bodyFileDescriptor` is given, a 2xx body is streamed into it instead of memory.
  ///
  /// What the server sends back is untrusted: every secret the log's redactor knows is removed
  /// from the body and headers before the response is returned, so no message, report or listing
  /// built from it can show one.
  public func send(
    _ request: HTTPRequest, credentials: [HTTPHeader] = [], credentialsOrigin: URLOrigin? = nil,
    bodyFileDescriptor: Int32? = nil
  ) throws -> HTTPResponse {
    let origin = credentialsOrigin ?? URLOrigin(request.url)
    let policy = settings.retryPolicy
    var attempt = 0
    while true {
      attempt += 1
      try checkDeadline(before: request)
      if let descriptor = bodyFileDescriptor {
        // A retried download starts the file afresh.
        _ = ftruncate(descriptor, 0)
        _ = lseek(descriptor, 0, SEEK_SET)
      }
      let response: HTTPResponse
      let ticket = try pacer.acquire()
      do {
        response = try sendFollowingRedirects(
          request, credentials: credentials, origin: origin, bodyFileDescriptor: bodyFileDescriptor)
      } catch var error as TransportError {
        pacer.cancel(ticket)
        error.attempts = attempt
        error.detail = log.redactor.text(error.detail)
        if error.kind == .timedOut, let deadline = settings.deadline, deadline.hasPassed {
          throw DeadlinePassedError(
            deadline: deadline, context: "during \(describe(request))",
            writeMayHaveLanded: error.isAmbiguousWrite)
        }
        guard error.isRetryable, attempt <= policy.maximumRetries else { throw error }
        try wait(
          before: attempt, headers: [], reason: error.kind == .timedOut ? "timed out" : "failed",
          request: request, status: 0)
        continue
      } catch {
        pacer.cancel(ticket)
        throw error
      }
      pacer.record(ticket, status: response.status, headers: response.headers)
      if policy.shouldRetry(status: response.status, method: request.method) {
        // A 429 whose wait is longer than --max-wait ends the run now, not after sleeping.
        if response.status == 429, let refusal = pacer.refusalBeyondMaximumWait() { throw refusal }
        if attempt <= policy.maximumRetries {
          try wait(
            before: attempt, headers: response.headers, reason: "got \(response.status)",
            request: request, status: response.status)
          continue
        }
        // Out of retries: a wait the server asks for beyond --max-wait still says when to retry.
        if case .stop(let asked) = policy.decision(
          beforeRetry: attempt, headers: response.headers, now: clock(), random: 0)
        {
          throw retryLater(request, status: response.status, asked: asked)
        }
      }
      var final = log.redactor.removingSecrets(from: response)
      final.attempts = attempt
      return final
    }
  }

  private func wait(
    before retry: Int, headers: [HTTPHeader], reason: String, request: HTTPRequest, status: Int
  ) throws {
    let decision = settings.retryPolicy.decision(
      beforeRetry: retry, headers: headers, now: clock(), random: random())
    let seconds: Double
    switch decision {
    case .stop(let asked):
      throw retryLater(request, status: status, asked: asked)
    case .wait(let wanted):
      seconds = wanted
    }
    if let deadline = settings.deadline, seconds >= deadline.remaining {
      throw DeadlinePassedError(
        deadline: deadline,
        context:
          "before the \(Self.shortSeconds(seconds)) s wait to retry \(describe(request)) would end")
    }
    log.notice?(
      "note: \(describe(request)) \(reason); retrying in \(Self.shortSeconds(seconds)) s "
        + "(retry \(retry) of \(settings.retryPolicy.maximumRetries)).\n")
    let start = clock()
    sleeper(seconds)
    pacer.slept(until: start + seconds)
  }

  private func retryLater(_ request: HTTPRequest, status: Int, asked: Double) -> RetryLaterError {
    let now = clock()
    return RetryLaterError(
      method: request.method, path: log.redactor.text(Self.pathForDisplay(request.url)),
      status: status, askedSeconds: asked, retryAt: now + asked,
      maximumWait: settings.retryPolicy.maximumWait)
  }

  private func checkDeadline(before request: HTTPRequest) throws {
    guard let deadline = settings.deadline, deadline.hasPassed else { return }
    throw DeadlinePassedError(deadline: deadline, context: "before \(describe(request))")
  }

  /// `POST /projects/20/…`: the method and path, redacted, for notes and messages.
  private func describe(_ request: HTTPRequest) -> String {
    "\(request.method.rawValue) \(log.redactor.text(Self.pathForDisplay(request.url)))"
  }

  private static func shortSeconds(_ seconds: Double) -> String {
    let rounded = (seconds * 10).rounded() / 10
    return rounded == rounded.rounded() && rounded < 1e15 ? String(Int(rounded)) : String(rounded)
  }

  private func sendFollowingRedirects(
    _ request: HTTPRequest, credentials: [HTTPHeader], origin: URLOrigin?,
    bodyFileDescriptor: Int32?
  ) throws -> HTTPResponse {
    var current = request
    var redirects = 0
    while true {
      var outgoing = current
      if let origin, URLOrigin(current.url) == origin {
        outgoing.headers = credentials + current.headers
      }
      let result = try perform(outgoing, bodyFileDescriptor: bodyFileDescriptor)
      let status = result.response.status
      guard [301, 302, 303, 307, 308].contains(status), let target = result.redirectURL else {
        return result.response
      }
      guard Self.isHTTP(target) else {
        // libcurl would refuse it as a bad URL, which would blame --api-url for what the server sent.
        let shown = log.redactor.text(String(target.prefix(200)))
        throw TransportError(
          kind: .redirectNotHTTP, method: current.method,
          server: URLOrigin(current.url)?.hostAndPort ?? current.url,
          detail: "Location: \(shown)", requestMayHaveReachedServer: true)
      }
      if let origin, URLOrigin(target) != origin, log.redactor.reveals(target) {
        // The token stays on its origin in the URL as much as in a header: GitLab's redirects
        // (object storage, a release's download URL) never carry it.
        throw TransportError(
          kind: .redirectCarriesSecret, method: current.method,
          server: URLOrigin(current.url)?.hostAndPort ?? current.url,
          detail: "Location: \(log.redactor.text(String(target.prefix(200))))",
          requestMayHaveReachedServer: true)
      }
      redirects += 1
      guard redirects <= settings.maximumRedirects else {
        throw TransportError(
          kind: .tooManyRedirects, method: request.method,
          server: URLOrigin(request.url)?.hostAndPort ?? request.url,
          requestMayHaveReachedServer: true)
      }
      if status == 303 || ((status == 301 || status == 302) && current.method == .post) {
        current.method = .get
        current.body = nil
      }
      current.url = target
    }
  }

  private func perform(_ request: HTTPRequest, bodyFileDescriptor: Int32?) throws -> TransferResult
  {
    let handle = try checkOut()
    defer { checkIn(handle) }
    traceRequest(request)
    let downloading = bodyFileDescriptor != nil
    // An upload may be gigabytes: no limit on the whole, but stopped when it stops moving.
    let uploading = request.upload != nil
    var timeout: Double? =
      uploading
      ? nil : downloading ? settings.downloadTimeout ?? settings.timeout : settings.timeout
    if let deadline = settings.deadline { timeout = min(timeout ?? .infinity, deadline.remaining) }
    let options = TransferOptions(
      timeout: timeout, stallTimeout: downloading || uploading ? settings.timeout : nil,
      trustedCertificates: settings.trustedCertificates, bodyFileDescriptor: bodyFileDescriptor,
      maximumFileBytes: downloading ? settings.maximumDownloadBytes : nil)
    do {
      let result = try handle.perform(request, options: options)
      traceResponse(result, streamed: bodyFileDescriptor != nil)
      return result
    } catch let error as TransportError {
      log.trace?("* \(log.redactor.text(error.message))\n")
      throw error
    }
  }

  private func checkOut() throws -> CurlEasyHandle {
    if let pooled = idleHandles.withLock({ $0.popLast() }) { return pooled.handle }
    return try CurlEasyHandle()
  }

  private func checkIn(_ handle: CurlEasyHandle) {
    let pooled = PooledHandle(handle: handle)
    idleHandles.withLock { idle in
      // Handles beyond the concurrency limit are freed with their connections.
      if idle.count < settings.concurrency { idle.append(pooled) }
    }
  }

  private func traceRequest(_ request: HTTPRequest) {
    guard let trace = log.trace else { return }
    let redactor = log.redactor
    var text = "> \(request.method.rawValue) \(redactor.text(request.url))\n"
    for header in request.headers {
      let shown = redactor.header(header)
      text += "> \(shown.name): \(shown.value)\n"
    }
    if let body = request.body, !body.isEmpty {
      text += Self.indentedBody(redactor.text(String(decoding: body, as: UTF8.self)), marker: ">")
    }
    trace(text)
  }

  private func traceResponse(_ result: TransferResult, streamed: Bool) {
    guard let trace = log.trace else { return }
    let redactor = log.redactor
    let response = result.response
    var text =
      "< \(response.status) (\(result.reusedConnection ? "reused connection" : "new connection"))\n"
    for header in response.headers {
      let shown = redactor.header(header)
      text += "< \(shown.name): \(shown.value)\n"
    }
    if streamed && response.isSuccess {
      text += "< (body written to file)\n"
    } else if !response.body.isEmpty {
      text += Self.indentedBody(redactor.text(response.text), marker: "<")
    }
    trace(text)
  }

  private static func indentedBody(_ body: String, marker: String) -> String {
    let limit = 4000
    var shown = String(body.prefix(limit))
    if body.count > limit { shown += "… (\(body.count - limit) more characters)" }
    return shown.split(separator: "\n", omittingEmptySubsequences: false)
      .map { "\(marker) \($0)\n" }.joined()
  }

  static func isHTTP(_ url: String) -> Bool {
    let lowered = url.prefix(8).lowercased()
    return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
  }

  static func pathForDisplay(_ url: String) -> String {
    guard let scheme = url.firstRange(of: "://") else { return url }
    let rest = url[scheme.upperBound...]
    guard let slash = rest.firstIndex(of: "/") else { return "/" }
    return String(rest[slash...])
  }

  /// Blocks the calling thread for `seconds`.
  public static let sleep: @Sendable (Double) -> Void = { seconds in
    guard seconds > 0 else { return }
    var request = timespec(
      tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
  }
}
