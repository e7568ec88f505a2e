import Foundation
import Testing

@testable import ReleaseLinkerCore

/// A server echoing a request back may encode what it echoes: the token is hidden in those forms
/// too.
@Suite struct SecretRedactorFormsTests {
  static let token = "glpat-S3CRET+Zq7/priv=tok"
  let redactor = SecretRedactor(secrets: [token])

  @Test func thePercentEncodedTokenIsHidden() {
    let text =
      "Location: /login?t=glpat-S3CRET%2BZq7%2Fpriv%3Dtok&x=glpat-S3CRET%2bZq7%2fpriv%3dtok"
    #expect(redactor.text(text) == "Location: /login?t=[REDACTED]&x=[REDACTED]")
  }

  @Test func theTokenInBase64IsHiddenWhereverItStarts() {
    for prefix in ["", "J", "JO", "JOB-TOKEN: ", "PRIVATE-TOKEN: "] {
      let plain = Array((prefix + Self.token + " and more").utf8)
      for encoded in [
        Data(plain).base64EncodedString(), Self.urlAlphabet(Data(plain).base64EncodedString()),
      ] {
        let shown = redactor.text("echo: \(encoded)")
        #expect(shown.contains("[REDACTED]"), "\(prefix): \(shown)")
        #expect(!redactor.reveals(shown), "\(prefix): \(shown)")
      }
    }
  }

  @Test func ourBase64IsRFC4648() {
    for length in 0..<10 {
      let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 200) }
      #expect(SecretRedactor.base64(bytes) == Data(bytes).base64EncodedString())
    }
  }

  @Test func anAnswerWithAnEncodedTokenLosesIt() {
    let body = "{\"message\":\"\(Data(("JOB-TOKEN: " + Self.token).utf8).base64EncodedString())\"}"
    let response = HTTPResponse(
      status: 400, headers: [HTTPHeader("X-Echo", "glpat-S3CRET%2BZq7%2Fpriv%3Dtok")],
      body: Array(body.utf8), url: "http://127.0.0.1/api/v4")
    let cleaned = redactor.removingSecrets(from: response)
    #expect(!redactor.reveals(cleaned.text))
    #expect(cleaned.headers[0].value == "[REDACTED]")
  }

  static func urlAlphabet(_ base64: String) -> String {
    String(base64.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
  }
}
