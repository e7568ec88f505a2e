import Testing

@testable import ReleaseLinkerCore

@Suite struct SecretRedactorTests {
  let redactor = SecretRedactor(secrets: ["glpat-abc123XYZ"])

  @Test func tokenHeadersAreHiddenWhateverTheirValue() {
    for name in ["JOB-TOKEN", "private-token", "Authorization", "PRIVATE-TOKEN"] {
      let shown = redactor.header(HTTPHeader(name, "something-secret"))
      #expect(shown.name == name)
      #expect(shown.value == SecretRedactor.placeholder)
    }
  }

  @Test func otherHeadersAreKept() {
    #expect(redactor.header(HTTPHeader("X-Next-Page", "2")).value == "2")
  }

  @Test func theTokenIsHiddenAnywhere() {
    let text = redactor.text("{\"note\":\"token glpat-abc123XYZ leaked glpat-abc123XYZ\"}")
    #expect(!text.contains("glpat-abc123XYZ"))
    #expect(text == "{\"note\":\"token [REDACTED] leaked [REDACTED]\"}")
  }

  @Test func credentialParametersAreHidden() {
    let text = redactor.text(
      "https://gitlab.example.com/api/v4/jobs?JOB_TOKEN=abc&page=2 and private_token=zz")
    #expect(
      text
        == "https://gitlab.example.com/api/v4/jobs?JOB_TOKEN=[REDACTED]&page=2 and private_token=[REDACTED]"
    )
  }

  @Test func textWithoutSecretsIsUnchanged() {
    let text = "GET /projects/24/releases/v0.1/assets/links?per_page=100 — ünïcode"
    #expect(redactor.text(text) == text)
  }

  @Test func anAnswerEchoingTheTokenLosesIt() {
    let redactor = SecretRedactor(secrets: ["glcbt-echoed-5ecret"])
    let response = HTTPResponse(
      status: 400,
      headers: [HTTPHeader("X-Debug", "JOB-TOKEN: glcbt-echoed-5ecret")],
      body: Array(
        #"{"message":"bad header JOB-TOKEN: glcbt-echoed-5ecret, again glcbt-echoed-5ecret"}"#.utf8),
      url: "https://gitlab.example.com/api/v4/x")
    let cleaned = redactor.removingSecrets(from: response)
    #expect(
      cleaned.text == #"{"message":"bad header JOB-TOKEN: [REDACTED], again [REDACTED]"}"#)
    #expect(cleaned.headers == [HTTPHeader("X-Debug", "JOB-TOKEN: [REDACTED]")])
    #expect(cleaned.status == 400)
  }

  @Test func bytesWithoutTheSecretAreReturnedAsTheyAre() {
    let redactor = SecretRedactor(secrets: ["glpat-abcdef"])
    let bytes = Array("glpat-abcde glpat-abcdeX".utf8)
    #expect(redactor.bytes(bytes) == bytes)
    #expect(redactor.bytes(Array("glpat-abcdef".utf8)) == Array("[REDACTED]".utf8))
  }
}
