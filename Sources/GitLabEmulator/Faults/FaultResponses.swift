/// The answers scripted faults put in place of GitLab's.
enum FaultResponses {
  /// The answer of a fault that answers instead of carrying the request out; `nil` for the
  /// others (delays and resets).
  static func answer(_ fault: ScriptedFault) -> EmulatorResponse? {
    switch fault {
    case .status(let code, let body, let headers):
      return status(code, body: body, headers: headers)
    case .tooManyRequests(let retryAfter): return tooManyRequests(retryAfter: retryAfter)
    case .malformedBody: return malformedBody
    case .delay, .resetBeforeHandling, .resetAfterCommit, .resetDuringBody: return nil
    }
  }

  static func status(_ code: Int, body: String, headers: [(String, String)]) -> EmulatorResponse {
    var allHeaders = headers
    if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
      let trimmed = body.drop { $0 == " " || $0 == "\n" }
      let isJSON = trimmed.hasPrefix("{") || trimmed.hasPrefix("[")
      allHeaders.insert(
        ("Content-Type", isJSON ? "application/json" : "text/html; charset=utf-8"), at: 0)
    }
    return EmulatorResponse(status: code, headers: allHeaders, body: .bytes(Array(body.utf8)))
  }

  /// Rack::Attack's throttled response as GitLab configures it.
  static func tooManyRequests(retryAfter: String, now: Int = Timestamps.now()) -> EmulatorResponse {
    let reset = now + (Int(retryAfter) ?? 60)
    return EmulatorResponse(
      status: 429,
      headers: [
        ("Content-Type", "text/plain"),
        ("Retry-After", retryAfter),
        ("RateLimit-Name", "throttle_authenticated_api"),
        ("RateLimit-Limit", "60"),
        ("RateLimit-Observed", "61"),
        ("RateLimit-Remaining", "0"),
        ("RateLimit-Reset", String(reset)),
        ("RateLimit-ResetTime", Timestamps.httpDate(reset)),
      ],
      body: .bytes(Array("Retry later\n".utf8)))
  }

  /// A 200 whose JSON stops half-way, as a proxy cutting a body short would leave it.
  static var malformedBody: EmulatorResponse {
    EmulatorResponse(
      status: 200, headers: [("Content-Type", "application/json")],
      body: .bytes(Array(#"{"id":1,"name":"trunc"#.utf8)))
  }
}

/// What the server does with one request once the state has been consulted.
struct DispatchOutcome: Sendable {
  enum Action: Sendable {
    case respond(EmulatorResponse)
    /// Reset the connection (TCP RST) without answering.
    case reset
  }

  var action: Action
  /// How long to wait before acting (latency plus any scripted delay).
  var delayMilliseconds: Int

  var isReset: Bool {
    if case .reset = action { return true }
    return false
  }
}
