import Testing

@testable import ReleaseLinkerCore

@Suite struct GitLabAPIErrorTests {
  private func decode(_ body: String, status: Int = 400) -> String {
    GitLabAPIError.decodeMessage(body: Array(body.utf8), status: status)
  }

  @Test func decodesTheParameterErrorShape() {
    #expect(
      decode(#"{"error":"name is missing, url is missing"}"#) == "name is missing, url is missing")
  }

  @Test func decodesTheModelErrorList() {
    #expect(
      decode(#"{"message":["Url has already been taken","Name has already been taken"]}"#)
        == "Url has already been taken, Name has already been taken")
  }

  @Test func decodesAMessageString() {
    #expect(decode(#"{"message":"404 Project Not Found"}"#, status: 404) == "404 Project Not Found")
  }

  @Test func decodesAFieldKeyedMessage() {
    #expect(
      decode(#"{"message":{"url":["is blocked"],"name":["can't be blank"]}}"#)
        == "name can't be blank, url is blocked")
  }

  @Test func decodesOAuthErrors() {
    let body =
      #"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}"#
    #expect(decode(body, status: 403).hasPrefix("insufficient_scope: The request requires"))
  }

  @Test func plainTextAndHTMLBecomeShortText() {
    #expect(decode("Retry later\n", status: 429) == "Retry later")
    let html =
      "<html><head><title>503</title><style>body{color:red}</style></head>"
      + "<body><h1>503 Service Unavailable</h1>\n<p>No server is available.</p></body></html>"
    #expect(decode(html, status: 503) == "503 503 Service Unavailable No server is available.")
    #expect(decode(String(repeating: "x ", count: 500), status: 502).count <= 201)
    #expect(decode("", status: 502) == "HTTP 502 with no explanation")
  }

  private func error(_ status: Int, _ message: String, method: HTTPMethod = .post)
    -> GitLabAPIError
  {
    GitLabAPIError(status: status, gitLabMessage: message, method: method, path: "/projects/1")
  }

  @Test func exitCodesFollowTheContract() {
    #expect(error(401, "401 Unauthorized").exitStatus == .noPermission)
    #expect(error(403, "403 Forbidden").exitStatus == .noPermission)
    #expect(error(404, "404 Not found").exitStatus == .failures)
    #expect(error(400, "url is missing").exitStatus == .failures)
    #expect(error(422, "bad").exitStatus == .failures)
    #expect(error(429, "Retry later").exitStatus == .unavailable)
    #expect(error(503, "unavailable").exitStatus == .unavailable)
  }

  @Test func writeFailuresAreClassified() {
    #expect(error(400, "Url has already been taken").writeFailureKind == .alreadyTaken)
    #expect(error(400, "Filepath is in an invalid format").writeFailureKind == .rejected)
    #expect(error(401, "401 Unauthorized").writeFailureKind == .authentication)
    #expect(error(403, "403 Forbidden").writeFailureKind == .authentication)
    #expect(error(404, "404 Not found").writeFailureKind == .notFound)
    #expect(error(503, "x", method: .post).writeFailureKind == .ambiguous)
    #expect(error(503, "x", method: .get).writeFailureKind == .unavailable)
    #expect(error(429, "Retry later").writeFailureKind == .unavailable)
  }

  @Test func aJobTokenAllowlistRefusalExplainsTheAllowlist() {
    let refusal = error(
      403,
      "403 Forbidden - Authentication by CI/CD job token not allowed from other/project to group/app."
    )
    #expect(refusal.isJobTokenAllowlistRefusal)
    #expect(refusal.message.contains("allowlist"))
    #expect(refusal.message.contains("CI/CD job token"))
    #expect(!error(403, "403 Forbidden").message.contains("allowlist"))
  }

  @Test func theMessageKeepsGitLabsWords() {
    let message = error(400, "link_type does not have a valid value").message
    #expect(message.contains("400"))
    #expect(message.contains("link_type does not have a valid value"))
  }
}
