import Testing

@testable import ReleaseLinkerCore

/// What a 404 says is missing.
extension GitLabAPIErrorTests {
  private func notFound(_ body: String, _ path: String) -> GitLabAPIError {
    GitLabAPIError(
      response: HTTPResponse(
        status: 404, headers: [], body: Array(body.utf8), url: "https://h/api/v4" + path),
      method: .get,
      path: path)
  }

  @Test func anUnknownRouteNamesTheAPIRootAndIsAUsageError() {
    let error = notFound(#"{"error":"404 Not Found"}"#, "/projects/20/releases/v1")
    #expect(error.isUnknownRoute)
    #expect(error.exitStatus == .usage)
    #expect(error.message.contains("not GitLab's API root"))
    #expect(!error.message.contains("--create-release"))
  }

  @Test func onlyAMissingReleaseSuggestsCreatingIt() {
    let release = notFound(#"{"message":"404 Not found"}"#, "/projects/20/releases/v1")
    #expect(!release.isUnknownRoute)
    #expect(release.exitStatus == .failures)
    #expect(release.message.contains("--create-release"))
    let link = notFound(#"{"message":"404 Not found"}"#, "/projects/20/releases/v1/assets/links/7")
    #expect(link.message.contains("has no link 7"))
    #expect(!link.message.contains("--create-release"))
    let job = notFound(#"{"message":"404 Not found"}"#, "/projects/20/jobs/999/artifacts")
    #expect(job.message.contains("Job 999 has no artifacts archive"))
    #expect(!job.message.contains("--create-release"))
  }
}
