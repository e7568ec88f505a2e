import Testing

@testable import ReleaseLinkerCore

extension TransportErrorTests {
  private func tls(_ code: Int, _ detail: String) -> TransportError {
    TransportError(
      curlCode: code, osErrno: 0, method: .get, server: "gitlab.example.com:443", detail: detail,
      requestBytesSent: 0, timeoutSeconds: 30)
  }

  @Test(arguments: [
    (35, "error:0A00010B:SSL routines::wrong version number", TransportError.Kind.notTLS),
    (35, "OpenSSL/3.0.15: error:0A000418:SSL routines::tlsv1 alert unknown ca", .tlsRefused),
    (
      60, "SSL: no alternative certificate subject name matches target host name '127.0.0.1'",
      .certificateNameMismatch
    ),
    (60, "SSL certificate problem: unable to get local issuer certificate", .certificateUntrusted),
  ])
  func tlsFailuresThatCannotChangeAreNotRetried(
    code: Int, detail: String, kind: TransportError.Kind
  ) {
    let error = tls(code, detail)
    #expect(error.kind == kind)
    #expect(!error.isRetryable)
    #expect(error.exitStatus == .unavailable)
  }

  @Test func aHandshakeCutShortByTheNetworkIsRetried() {
    let error = tls(35, "OpenSSL SSL_connect: Connection reset by peer in connection to h:443")
    #expect(error.kind == .tlsHandshakeFailed)
    #expect(error.isRetryable)
  }
}
