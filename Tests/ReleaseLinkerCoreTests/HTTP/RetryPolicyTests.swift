import Testing

@testable import ReleaseLinkerCore

@Suite struct RetryPolicyTests {
  let policy = RetryPolicy(maximumRetries: 5, baseDelay: 0.5, maximumDelay: 60)

  @Test func serverErrorsAndThrottlingAreRetriedForReads() {
    for status in [500, 502, 503, 504, 429] {
      #expect(policy.shouldRetry(status: status, method: .get), "status \(status)")
    }
  }

  @Test func clientErrorsAreFinal() {
    for status in [400, 401, 403, 404, 409, 422] {
      #expect(!policy.shouldRetry(status: status, method: .get), "status \(status)")
      #expect(!policy.shouldRetry(status: status, method: .post), "status \(status)")
    }
  }

  @Test func aServerErrorToAWriteIsNotResentBlindly() {
    for method in [HTTPMethod.post, .put, .delete] {
      #expect(!policy.shouldRetry(status: 503, method: method))
      // GitLab throttles before handling the request, so a 429 write is safe to resend.
      #expect(policy.shouldRetry(status: 429, method: method))
    }
  }

  @Test func backoffDoublesWithinItsJitterBounds() {
    for retry in 1...6 {
      let full = min(60, 0.5 * Double(1 << (retry - 1)))
      let low = policy.delay(beforeRetry: retry, headers: [], now: 0, random: 0)
      let high = policy.delay(beforeRetry: retry, headers: [], now: 0, random: 0.999_999)
      #expect(abs(low - full / 2) < 0.000_1)
      #expect(high <= full && high > full * 0.99)
    }
  }

  @Test func backoffIsCapped() {
    let delay = policy.delay(beforeRetry: 30, headers: [], now: 0, random: 1)
    #expect(delay <= 60)
  }

  @Test func retryAfterSecondsReplacesTheBackoff() {
    let delay = policy.delay(
      beforeRetry: 1, headers: [HTTPHeader("Retry-After", "7")], now: 0, random: 0.5)
    #expect(delay == 7)
  }

  @Test func retryAfterAsAnHTTPDateCountsFromNow() {
    // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
    let headers = [HTTPHeader("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]
    let delay = policy.delay(beforeRetry: 1, headers: headers, now: 784_111_770, random: 0)
    #expect(delay == 7)
  }

  @Test func aRetryAfterInThePastMeansNoWait() {
    let headers = [HTTPHeader("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")]
    #expect(policy.delay(beforeRetry: 1, headers: headers, now: 784_111_800, random: 0) == 0)
  }

  @Test func retryAfterIsCapped() {
    let delay = policy.delay(
      beforeRetry: 1, headers: [HTTPHeader("Retry-After", "3600")], now: 0, random: 0)
    #expect(delay == 60)
  }

  @Test func rateLimitResetIsAUnixTime() {
    let headers = [HTTPHeader("RateLimit-Reset", "1700000012")]
    #expect(policy.delay(beforeRetry: 1, headers: headers, now: 1_700_000_000, random: 0) == 12)
  }

  @Test func retryAfterWinsOverRateLimitReset() {
    let headers = [HTTPHeader("RateLimit-Reset", "1700000030"), HTTPHeader("Retry-After", "3")]
    #expect(policy.delay(beforeRetry: 1, headers: headers, now: 1_700_000_000, random: 0) == 3)
  }

  @Test func anUnreadableRetryAfterFallsBackToBackoff() {
    let headers = [HTTPHeader("Retry-After", "soon")]
    #expect(RetryPolicy.serverRequestedDelay(headers: headers, now: 0) == nil)
    #expect(policy.delay(beforeRetry: 2, headers: headers, now: 0, random: 0) == 0.5)
  }
}

@Suite struct HTTPDateTests {
  @Test func parsesTheIMFFixdate() {
    #expect(HTTPDate.secondsSince1970("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
    #expect(HTTPDate.secondsSince1970("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
    #expect(HTTPDate.secondsSince1970("Tue, 29 Feb 2028 23:59:59 GMT") == 1_835_481_599)
  }

  @Test func parsesTheObsoleteRFC850Form() {
    #expect(HTTPDate.secondsSince1970("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
  }

  @Test func rejectsWhatIsNotAnHTTPDate() {
    for text in [
      "", "120", "06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST",
      "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT",
    ] {
      #expect(HTTPDate.secondsSince1970(text) == nil, "\(text)")
    }
  }
}
