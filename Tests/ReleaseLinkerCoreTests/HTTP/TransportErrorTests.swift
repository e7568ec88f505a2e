import Testing

@testable import ReleaseLinkerCore

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct TransportErrorTests {
  private func error(_ code: Int, errno: Int32 = 0, method: HTTPMethod = .post, sent: Int = 0)
    -> TransportError
  {
    TransportError(
      curlCode: code, osErrno: errno, method: method, server: "gitlab.example.com:443",
      detail: "", requestBytesSent: sent, timeoutSeconds: 30)
  }

  @Test func aRefusedConnectionNeverReachedTheServerSoEvenAPostMayBeResent() {
    let refused = error(7, errno: ECONNREFUSED)
    #expect(refused.kind == .connectionRefused)
    #expect(!refused.requestMayHaveReachedServer)
    #expect(refused.isRetryable)
    #expect(refused.writeFailureKind == .unavailable)
    #expect(refused.exitStatus == .unavailable)
    #expect(refused.message.contains("refused"))
  }

  @Test func dnsFailuresNameTheSettingToCheck() {
    let dns = error(6)
    #expect(dns.kind == .hostNotFound)
    #expect(dns.message.contains("--api-url"))
  }

  @Test func aResetAfterSendingAPostIsAmbiguousAndNotRetried() {
    let reset = error(56, errno: ECONNRESET, sent: 300)
    #expect(reset.kind == .connectionReset)
    #expect(reset.isAmbiguousWrite)
    #expect(!reset.isRetryable)
    #expect(reset.writeFailureKind == .ambiguous)
    #expect(reset.message.contains("may have been carried out"))
  }

  @Test func aResetBeforeSendingMayBeRetried() {
    let reset = error(55, errno: ECONNRESET, sent: 0)
    #expect(!reset.isAmbiguousWrite)
    #expect(reset.isRetryable)
  }

  @Test func aTimeoutOnAReadIsRetried() {
    let timeout = error(28, method: .get, sent: 200)
    #expect(timeout.kind == .timedOut)
    #expect(timeout.isRetryable)
    #expect(timeout.message.contains("30 seconds"))
    #expect(timeout.message.contains("--timeout"))
  }

  @Test func anUntrustedCertificateIsFinalAndNamesTheCASettings() {
    let tls = error(60, method: .get)
    #expect(tls.kind == .certificateUntrusted)
    #expect(!tls.isRetryable)
    #expect(tls.exitStatus == .unavailable)
    for name in ["--ca-file", "CI_SERVER_TLS_CA_FILE", "ADDITIONAL_CA_CERT_BUNDLE"] {
      #expect(tls.message.contains(name))
    }
  }

  @Test func anEmptyReplyToAWriteIsAmbiguous() {
    #expect(error(52, sent: 0).writeFailureKind == .ambiguous)
  }

  @Test func attemptsAreCounted() {
    var failing = error(7, errno: ECONNREFUSED, method: .get)
    failing.attempts = 6
    #expect(failing.message.contains("after 6 attempts"))
  }
}
