/// What the emulator answers: a status, headers and a body held in memory or read from a file.
struct EmulatorResponse: Sendable {
  enum Body: Sendable {
    case bytes([UInt8])
    /// `length` bytes of a file from `offset`, read in chunks as the client takes them, so
    /// multi-gigabyte archives never sit in memory.
    case file(path: String, offset: Int, length: Int)
    /// A deflated zip entry inflated as it is sent; `length` is its inflated size.
    case deflated(path: String, offset: Int, compressedLength: Int, length: Int)

    var length: Int {
      switch self {
      case .bytes(let bytes): return bytes.count
      case .file(_, _, let length), .deflated(_, _, _, let length): return length
      }
    }
  }

  var status: Int
  var headers: [(String, String)]
  var body: Body
  /// False for a `HEAD` request: the headers (with the body's length) go out, the body does not.
  var sendsBody = true
  /// A file Workhorse sends itself (`send_file`), which honours `Range`.
  var acceptsRanges = false

  init(status: Int, headers: [(String, String)] = [], body: Body = .bytes([])) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> Self {
    EmulatorResponse(
      status: status, headers: [("Content-Type", "application/json")] + headers,
      body: .bytes(value.bytes))
  }

  /// GitLab's `{"message": "..."}` error.
  static func message(_ status: Int, _ text: String) -> Self {
    json(status, .object([("message", .string(text))]))
  }

  /// Grape's `{"error": "..."}` error (routes and parameters).
  static func error(_ status: Int, _ text: String) -> Self {
    json(status, .object([("error", .string(text))]))
  }

  /// A Rails redirect (`redirect_to`), with the page Rails writes for it.
  static func redirect(_ location: String) -> Self {
    EmulatorResponse(
      status: 302,
      headers: [("Location", location), ("Content-Type", "text/html; charset=utf-8")],
      body: .bytes(
        Array(
          "<html><body>You are being <a href=\"\(location)\">redirected</a>.</body></html>".utf8)))
  }

  /// The 404 page GitLab's web controllers render (`render_404`, public/404.html).
  static var pageNotFound: Self {
    EmulatorResponse(
      status: 404, headers: [("Content-Type", "text/html; charset=utf-8")],
      body: .bytes(
        Array(
          "<!DOCTYPE html><html><head><title>The page could not be found (404)</title></head><body><h1>404</h1><p>Page not found</p></body></html>\n"
            .utf8)))
  }

  /// `bad_request!(reason)`: `400 Bad request - REASON`.
  static func badRequest(_ reason: String) -> Self {
    message(400, "400 Bad request - \(reason)")
  }

  /// What `rescue_from :all` answers for an exception.
  static var internalError: Self { message(500, "500 Internal Server Error") }

  static var routeNotFound: Self { error(404, "404 Not Found") }
  static var projectNotFound: Self { message(404, "404 Project Not Found") }
  static var notFound: Self { message(404, "404 Not found") }
  static var unauthorized: Self { message(401, "401 Unauthorized") }
  static var forbidden: Self { message(403, "403 Forbidden") }

  /// The OAuth error a token without the `api` scope gets on a write.
  static var insufficientScope: Self {
    let description = "The request requires higher privileges than provided by the access token."
    return json(
      403,
      .object([
        ("error", .string("insufficient_scope")),
        ("error_description", .string(description)),
        ("scope", .string("api")),
      ]),
      headers: [
        (
          "WWW-Authenticate",
          "Bearer realm=\"Protected by OAuth 2.0\", error=\"insufficient_scope\", "
            + "error_description=\"\(description)\", scope=\"api\""
        )
      ])
  }
}
