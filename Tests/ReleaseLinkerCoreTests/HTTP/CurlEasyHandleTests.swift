import Testing

@testable import ReleaseLinkerCore

@Suite struct CurlEasyHandleTests {
  @Test func anOptionLibcurlRefusesIsNamedWithTheRequestsRealMethod() throws {
    // libcurl refuses string options longer than 8,000,000 bytes (CURL_MAX_INPUT_LENGTH).
    let url = "http://127.0.0.1:9/" + String(repeating: "a", count: 8_100_000)
    let handle = try CurlEasyHandle()
    let request = HTTPRequest(method: .put, url: url, body: Array("{}".utf8))
    #expect {
      _ = try handle.perform(request, options: TransferOptions(timeout: 5))
    } throws: { error in
      guard let error = error as? TransportError else { return false }
      return error.kind == .optionRefused && error.method == .put
        && error.message.contains("CURLOPT_URL") && error.message.contains("PUT request")
        && !error.isRetryable && error.exitStatus == .usage
    }
  }

  @Test func timeoutsNeverReachLibcurlAsZero() {
    // libcurl reads 0 ms as "no limit": the smallest timeout it is given is 1 ms.
    #expect(CurlEasyHandle.milliseconds(0.0004) == 1)
    #expect(CurlEasyHandle.milliseconds(0.001) == 1)
    #expect(CurlEasyHandle.milliseconds(2.5) == 2500)
  }
}
