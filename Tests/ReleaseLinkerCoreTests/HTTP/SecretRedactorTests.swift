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
}
