import FoundationEssentials
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How the transport talks to the server.
public struct TransportSettings: Sendable {
  /// Seconds one request may take (`--timeout`).
  public var timeout: Double
  public var retryPolicy: RetryPolicy
  /// How many idle handles (and so kept-alive connections) are kept for reuse (`--concurrency`).
  public var concurrency: Int
  /// A PEM bundle replacing the default trust store, when extra CAs are configured.
  public var trustedCertificates: [UInt8]?
  public var maximumRedirects: Int
  /// The longest single wait the rate limit may impose, in seconds (`--max-wait`).
  public var maximumRateLimitWait: Double

  public init(
    timeout: Double = 30, retryPolicy: RetryPolicy = RetryPolicy(maximumRetries: 5),
    concurrency: Int = 4, trustedCertificates: [UInt8]? = nil, maximumRedirects: Int = 5,
    maximumRateLimitWait: Double = 120
  ) {
    self.timeout = timeout
    self.retryPolicy = retryPolicy
    self.concurrency = max(1, concurrency)
    self.trustedCertificates = trustedCertificates
    self.maximumRedirects = maximumRedirects
    self.maximumRateLimitWait = maximumRateLimitWait
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
  private let idleHandles = Mutex<[PooledHandle]>([])
  private let sleeper: @Sendable (Double) -> Void
  private let random: @Sendable () -> Double

  public init(
    settings: TransportSettings, log: TransportLog = TransportLog(),
    sleeper: @escaping @Sendable (Double) -> Void = HTTPTransport.sleep,
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
  ) {
    self.settings = settings
    self.log = log
    self.sleeper = sleeper
    self.random = random
    self.pacer = RateLimitPacer(
      maximumWait: settings.maximumRateLimitWait, clock: { Date().timeIntervalSince1970 },
      sleeper: sleeper)
  }

  /// Sends `request`, retrying and following redirects. `credentials` (the token header) are added
  /// only while the URL's origin equals `credentialsOrigin` (by default the request's own).
  /// When `bodyFileDescriptor` is given, a 2xx body is streamed into it instead of memory.
  public func send(
    _ request: HTTPRequest, credentials: [HTTPHeader] = [], credentialsOrigin: URLOrigin? = nil,
    bodyFileDescriptor: Int32? = nil
  ) throws -> HTTPResponse {
    let origin = credentialsOrigin ?? URLOrigin(request.url)
    let policy = settings.retryPolicy
    var attempt = 0
    while true {
      attempt += 1
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
        guard error.isRetryable, attempt <= policy.maximumRetries else { throw error }
        wait(
          before: attempt, headers: [], reason: error.kind == .timedOut ? "timed out" : "failed",
          request: request)
        continue
      } catch {
        pacer.cancel(ticket)
        throw error
      }
      pacer.record(ticket, status: response.status, headers: response.headers)
      if policy.shouldRetry(status: response.status, method: request.method),
        attempt <= policy.maximumRetries
      {
        // A 429 whose wait is longer than --max-wait ends the run now, not after sleeping.
        if response.status == 429, let refusal = pacer.refusalBeyondMaximumWait() { throw refusal }
        wait(
          before: attempt, headers: response.headers, reason: "got \(response.status)",
          request: request)
        continue
      }
      var final = response
      final.attempts = attempt
      return final
    }
  }

  private func wait(before retry: Int, headers: [HTTPHeader], reason: String, request: HTTPRequest)
  {
    let seconds = settings.retryPolicy.delay(
      beforeRetry: retry, headers: headers, now: Date().timeIntervalSince1970, random: random())
    let rounded = (seconds * 10).rounded() / 10
    log.notice?(
      "note: \(request.method.rawValue) \(log.redactor.text(Self.pathForDisplay(request.url))) "
        + "\(reason); retrying in \(rounded) s (retry \(retry) of "
        + "\(settings.retryPolicy.maximumRetries)).\n")
    let start = Date().timeIntervalSince1970
    sleeper(seconds)
    pacer.slept(until: start + seconds)
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
    let options = TransferOptions(
      timeout: settings.timeout, trustedCertificates: settings.trustedCertificates,
      bodyFileDescriptor: bodyFileDescriptor)
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
