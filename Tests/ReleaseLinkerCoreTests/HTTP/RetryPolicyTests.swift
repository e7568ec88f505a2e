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

  private func wait(_ headers: [HTTPHeader], now: Double = 0, retry: Int = 1, random: Double = 0)
    -> RetryPolicy.Decision
  {
    policy.decision(beforeRetry: retry, headers: headers, now: now, random: random)
  }

  @Test func backoffDoublesWithinItsJitterBounds() {
    for retry in 1...6 {
      let full = min(60, 0.5 * Double(1 << (retry - 1)))
      let low = policy.backoff(beforeRetry: retry, random: 0)
      let high = policy.backoff(beforeRetry: retry, random: 0.999_999)
      #expect(abs(low - full / 2) < 0.000_1)
      #expect(high <= full && high > full * 0.99)
    }
  }

  @Test func backoffIsCapped() {
    #expect(policy.backoff(beforeRetry: 30, random: 1) <= 60)
  }

  @Test func retryAfterSecondsReplacesTheBackoff() {
    #expect(wait([HTTPHeader("Retry-After", "7")], random: 0.5) == .wait(seconds: 7))
  }

  @Test func retryAfterAsAnHTTPDateCountsFromNow() {
    // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
    let headers = [HTTPHeader("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]
    #expect(wait(headers, now: 784_111_770) == .wait(seconds: 7))
  }

  @Test func aRetryAfterInThePastFallsBackToTheBackoff() {
    let headers = [HTTPHeader("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")]
    #expect(wait(headers, now: 784_111_800) == .wait(seconds: 0.25))
  }

  @Test func aNegativeRetryAfterFallsBackToTheBackoff() {
    // Retrying at once is what a negative value used to mean: six requests in 0.4 s.
    for value in ["-1", "-0.5", "-99999"] {
      #expect(wait([HTTPHeader("Retry-After", value)], retry: 2) == .wait(seconds: 0.5), "\(value)")
    }
  }

  @Test func aWaitBeyondMaxWaitStopsInsteadOfWaiting() {
    #expect(wait([HTTPHeader("Retry-After", "99999")]) == .stop(askedSeconds: 99_999))
    #expect(wait([HTTPHeader("Retry-After", "121")]) == .stop(askedSeconds: 121))
    #expect(wait([HTTPHeader("Retry-After", "120")]) == .wait(seconds: 120))
    let farDate = [HTTPHeader("Retry-After", "Fri, 01 Jan 2100 00:00:00 GMT")]
    guard case .stop = wait(farDate, now: 1_700_000_000) else {
      Issue.record("a date decades away must stop the run")
      return
    }
    let strict = RetryPolicy(maximumRetries: 5, maximumWait: 0)
    #expect(
      strict.decision(beforeRetry: 1, headers: [HTTPHeader("Retry-After", "1")], now: 0, random: 0)
        == .stop(askedSeconds: 1))
  }

  @Test func rateLimitResetIsAUnixTime() {
    let headers = [HTTPHeader("RateLimit-Reset", "1700000012")]
    #expect(wait(headers, now: 1_700_000_000) == .wait(seconds: 12))
  }

  @Test func aRateLimitResetInThePastFallsBackToTheBackoff() {
    let headers = [HTTPHeader("RateLimit-Reset", "1699999990")]
    #expect(wait(headers, now: 1_700_000_000) == .wait(seconds: 0.25))
  }

  @Test func retryAfterWinsOverRateLimitReset() {
    let headers = [HTTPHeader("RateLimit-Reset", "1700000030"), HTTPHeader("Retry-After", "3")]
    #expect(wait(headers, now: 1_700_000_000) == .wait(seconds: 3))
  }

  @Test func anUnreadableRetryAfterFallsBackToBackoff() {
    let headers = [HTTPHeader("Retry-After", "soon")]
    #expect(RetryPolicy.serverRequestedDelay(headers: headers, now: 0) == nil)
    #expect(wait(headers, retry: 2) == .wait(seconds: 0.5))
  }

  @Test func theStopSaysWhenToRetry() {
    let error = RetryLaterError(
      method: .post, path: "/projects/20/releases/v1/assets/links", status: 429,
      askedSeconds: 99_999, retryAt: 1_700_099_999, maximumWait: 120)
    #expect(error.exitStatus == .unavailable)
    #expect(error.writeFailureKind == .unavailable)
    #expect(error.message.contains("asks to wait 27 h 46 min"))
    #expect(error.message.contains("longer than --max-wait 120 s"))
    #expect(error.message.contains("until 2023-11-16T01:59:59Z"))
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
