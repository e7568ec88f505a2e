/// What the emulator answers: a status, headers and a body held in memory or read from a file.
struct EmulatorResponse: Sendable {
  enum Body: Sendable {
    case bytes([UInt8])
    /// `length` bytes of a file from `offset`, read in chunks as the client takes them, so
    /// multi-gigabyte archives never sit in memory.
    case file(path: String, offset: Int, length: Int)
  }

  var status: Int
  var headers: [(String, String)]
  var body: Body

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
