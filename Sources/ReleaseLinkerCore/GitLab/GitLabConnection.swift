import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The API root, the token and the transport: everything needed to call GitLab.
public struct GitLabConnection: Sendable {
  /// The API root without a trailing slash, e.g. `https://gitlab.example.com/api/v4`.
  public let apiURL: String
  public let token: Token
  public let transport: HTTPTransport

  public init(apiURL: String, token: Token, transport: HTTPTransport) {
    var root = apiURL
    while root.hasSuffix("/") { root.removeLast() }
    self.apiURL = root
    self.token = token
    self.transport = transport
  }

  /// Resolves the API root, token, timeout, retries, waits, deadline, concurrency and trust store
  /// from the configuration; `--verbose` traces to the context's standard error with secrets
  /// redacted. `display` makes text for the terminal of what the server sent (the trace shows its
  /// headers and bodies); the caller passes Output's escaping.
  public static func make(
    configuration: Configuration, context: Context,
    display: @escaping @Sendable (String) -> String = { $0 }
  ) throws -> GitLabConnection {
    // Flag values first: a bad --retries is named as such, whatever else is missing.
    let settings = try transportSettings(configuration, context: context)
    let apiURL = try configuration.apiURL().value
    let token = try configuration.token()
    let log = transportLog(
      configuration, context: context, display: display,
      secrets: [
        token.headerValue
      ])
    return GitLabConnection(
      apiURL: apiURL, token: token, transport: HTTPTransport(settings: settings, log: log))
  }

  /// Timeout, retries, waits, deadline, download limits, concurrency and trust store.
  private static func transportSettings(_ configuration: Configuration, context: Context) throws
    -> TransportSettings
  {
    let timeout = try configuration.timeout().value
    let retries = try configuration.retries().value
    let maximumWait = try configuration.maxWait().value
    let concurrency = try configuration.concurrency().value
    let downloadTimeout = try configuration.downloadTimeout().value
    let maximumDownloadBytes = try configuration.maxDownloadSize().value
    let deadline = try context.deadline(configuration)
    let trusted = try configuration.caBundle().map { try TrustStore.combinedBundle(extra: $0) }
    return TransportSettings(
      timeout: timeout,
      retryPolicy: RetryPolicy(maximumRetries: retries, maximumWait: maximumWait),
      concurrency: concurrency, trustedCertificates: trusted, downloadTimeout: downloadTimeout,
      maximumDownloadBytes: maximumDownloadBytes, deadline: deadline)
  }

  /// `--verbose` traces to the context's standard error; notices always go there.
  private static func transportLog(
    _ configuration: Configuration, context: Context,
    display: @escaping @Sendable (String) -> String, secrets: [String]
  ) -> TransportLog {
    let sink = context.sink
    let write: @Sendable (String) -> Void = { text in sink.standardError(display(text)) }
    return TransportLog(
      trace: configuration.input.verbose ? write : nil, notice: write,
      redactor: SecretRedactor(secrets: secrets))
  }

  /// The token's header, sent only to the API's own origin; none for an anonymous connection.
  var credentials: [HTTPHeader] {
    isAnonymous ? [] : [HTTPHeader(token.kind.headerName, token.headerFieldValue)]
  }

  /// True for a connection that sends no token (see ``anonymous(configuration:context:)``).
  public var isAnonymous: Bool { token.source == .defaultValue && token.headerValue.isEmpty }

  /// A connection that sends no token at all (`verify --anonymous`): it reads what anyone may.
  public static func anonymous(
    configuration: Configuration, context: Context,
    display: @escaping @Sendable (String) -> String = { $0 }
  ) throws -> GitLabConnection {
    let settings = try transportSettings(configuration, context: context)
    let apiURL = try configuration.apiURL().value
    let log = transportLog(configuration, context: context, display: display, secrets: [])
    return GitLabConnection(
      apiURL: apiURL, token: Token("", kind: .privateToken, source: .defaultValue),
      transport: HTTPTransport(settings: settings, log: log))
  }

  /// Sends `method path?query` under the API root with an optional JSON body; returns a 2xx
  /// response or throws ``GitLabAPIError`` (or ``TransportError``).
  public func send(
    _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil
  ) throws -> HTTPResponse {
    try send(method, url: url(path, query: query), displayPath: path, body: body)
  }

  /// Sends to an absolute URL (such as a `Link: rel="next"` target); the token goes along only when
  /// the URL has the API's origin.
  func send(_ method: HTTPMethod, url: String, displayPath: String, body: [UInt8]? = nil) throws
    -> HTTPResponse
  {
    var headers = [HTTPHeader("Accept", "application/json")]
    if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
    let request = HTTPRequest(method: method, url: url, headers: headers, body: body)
    let response = try transport.send(
      request, credentials: credentials, credentialsOrigin: URLOrigin(apiURL))
    guard response.isSuccess else {
      throw GitLabAPIError(
        response: response, method: method, path: displayPath,
        token: (token.kind, token.source))
    }
    return response
  }

  func url(_ path: String, query: [(String, String)]) -> String {
    var result = apiURL + path
    if !query.isEmpty {
      result +=
        "?"
        + query.map { "\(PercentEncoding.formValue($0.0))=\(PercentEncoding.formValue($0.1))" }
        .joined(separator: "&")
    }
    return result
  }

  /// What `GET /version` says the server runs, or nil when it will not say: the route refuses job
  /// tokens (`lib/api/metadata.rb` authenticates without `job_token_allowed`), so a job learns the
  /// version from `CI_SERVER_VERSION` instead.
  public func serverVersion() throws -> GitLabVersion? {
    struct Body: Decodable { var version: String }
    let response: HTTPResponse
    do {
      response = try send(.get, "/version")
    } catch let error as GitLabAPIError where [401, 403, 404].contains(error.status) {
      return nil
    }
    guard let body = try? JSONDecoder().decode(Body.self, from: Data(response.body)) else {
      return nil
    }
    return GitLabVersion(body.version)
  }

  /// Streams GET /projects/:id/jobs/:job_id/artifacts into the open file `descriptor` (never held
  /// in memory whole, at most `--max-download-size`); follows redirects without forwarding the
  /// token to another host.
  public func downloadJobArtifacts(
    project: ProjectIdentifier, jobID: String, toFileDescriptor descriptor: Int32
  ) throws {
    let apiPath =
      "/projects/\(project.pathSegment)/jobs/\(PercentEncoding.segment(jobID))/artifacts"
    let request = HTTPRequest(method: .get, url: url(apiPath, query: []))
    let response = try transport.send(
      request, credentials: credentials, credentialsOrigin: URLOrigin(apiURL),
      bodyFileDescriptor: descriptor)
    guard response.isSuccess else {
      throw GitLabAPIError(
        response: response, method: .get, path: apiPath, token: (token.kind, token.source))
    }
  }
}
