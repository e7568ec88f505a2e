/// One HTTP request as the router sees it: the raw path (never decoded as a whole, so `%2F` inside a
/// segment stays inside it), the query, headers and the complete body.
struct EmulatorRequest: Sendable {
  var method: String
  var rawPath: String
  var query: String
  var headers: [(String, String)]
  var body: [UInt8]

  init(method: String, uri: String, headers: [(String, String)], body: [UInt8]) {
    self.method = method.uppercased()
    if let mark = uri.firstIndex(of: "?") {
      rawPath = String(uri[..<mark])
      query = String(uri[uri.index(after: mark)...])
    } else {
      rawPath = uri
      query = ""
    }
    self.headers = headers
    self.body = body
  }

  func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  var isWrite: Bool { ["POST", "PUT", "DELETE", "PATCH"].contains(method) }

  /// Who the rate limit counts this request against: its credential, else one anonymous caller
  /// (GitLab counts authenticated API requests per user and the others per IP address).
  var callerKey: String {
    for name in ["PRIVATE-TOKEN", "JOB-TOKEN", "Authorization"] {
      if let value = header(name) { return value }
    }
    return "anonymous"
  }

  /// The names (as sent) of the headers that carry credentials, for the request log.
  var authHeaderNames: [String] {
    let names: Set<String> = ["private-token", "job-token", "authorization"]
    return headers.map(\.0).filter { names.contains($0.lowercased()) }
  }
}

/// Parameters merged as Grape sees them: query string, then the body (form or JSON) over it.
struct RequestParameters: Sendable {
  private(set) var values: [(String, JSONValue)]

  /// Why the body could not be read; GitLab answers such requests with 400.
  var bodyError: String?

  init(_ request: EmulatorRequest) {
    var values: [(String, JSONValue)] = []
    if case .object(let members) = FormDecoding.decode(request.query) { values = members }
    bodyError = nil
    let contentType = (request.header("Content-Type") ?? "").lowercased()
    if !request.body.isEmpty {
      if contentType.hasPrefix("application/json") {
        switch Result(catching: { () throws(JSONSyntaxError) in try JSONValue.parse(request.body) })
        {
        case .success(.object(let members)):
          RequestParameters.merge(members, into: &values)
        case .success:
          break
        case .failure:
          bodyError = "There was a problem with the JSON you submitted"
        }
      } else if contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") {
        let text = String(decoding: request.body, as: UTF8.self)
        if case .object(let members) = FormDecoding.decode(text) {
          RequestParameters.merge(members, into: &values)
        }
      }
    }
    self.values = values
  }

  private static func merge(
    _ members: [(String, JSONValue)], into values: inout [(String, JSONValue)]
  ) {
    for (key, value) in members {
      if let position = values.firstIndex(where: { $0.0 == key }) {
        values[position].1 = value
      } else {
        values.append((key, value))
      }
    }
  }

  /// Parameters given directly (a nested object such as one of `assets[links][]`).
  init(_ members: [(String, JSONValue)]) {
    values = members
    bodyError = nil
  }

  subscript(key: String) -> JSONValue? {
    values.first { $0.0 == key }?.1
  }

  func has(_ key: String) -> Bool { self[key] != nil }

  /// The parameter as a string, as Grape coerces a `String` parameter (numbers and booleans become
  /// their text). `nil` when absent or JSON null.
  func string(_ key: String) -> String? {
    switch self[key] {
    case .string(let text): return text
    case .number(let text): return text
    case .bool(let flag): return flag ? "true" : "false"
    default: return nil
    }
  }

  /// Whether the parameter is present but cannot be coerced to a string (an object or a list).
  func isNotScalar(_ key: String) -> Bool {
    switch self[key] {
    case .object, .array: return true
    default: return false
    }
  }
}
