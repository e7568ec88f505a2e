import Testing

@testable import ReleaseLinkerCore

extension SecretRedactorTests {
  @Test(arguments: [
    (
      "> GET https://user:pa55@gitlab.example.com/api/v4/x",
      "> GET https://[REDACTED]@gitlab.example.com/api/v4/x"
    ),
    (
      "proxy http://token@proxy:3128 and https://a:b@h/",
      "proxy http://[REDACTED]@proxy:3128 and https://[REDACTED]@h/"
    ),
    ("https://gitlab.example.com/api/v4/users/@me", "https://gitlab.example.com/api/v4/users/@me"),
    ("mail me at someone@example.com", "mail me at someone@example.com"),
  ])
  func theUserAndPasswordOfAURLAreHidden(text: String, shown: String) {
    #expect(SecretRedactor.redactingUserInfo(in: text) == shown)
    #expect(SecretRedactor(secrets: []).text(text) == shown)
  }
}
