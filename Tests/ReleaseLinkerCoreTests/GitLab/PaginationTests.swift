import Testing

@testable import ReleaseLinkerCore

@Suite struct PaginationTests {
  @Test func followsXNextPage() {
    #expect(NextPage(headers: [HTTPHeader("X-Next-Page", "3")]) == .number(3))
  }

  @Test func anEmptyXNextPageIsTheEnd() {
    #expect(NextPage(headers: [HTTPHeader("X-Next-Page", ""), HTTPHeader("X-Total", "40")]) == nil)
    #expect(NextPage(headers: []) == nil)
  }

  @Test func fallsBackToTheLinkHeader() {
    let link =
      #"<https://gitlab.example.com/api/v4/projects/1/releases/v1/assets/links?page=1&per_page=100>; rel="first", "#
      + #"<https://gitlab.example.com/api/v4/projects/1/releases/v1/assets/links?page=3&per_page=100>; rel="next", "#
      + #"<https://gitlab.example.com/api/v4/projects/1/releases/v1/assets/links?page=9&per_page=100>; rel="last""#
    #expect(
      NextPage(headers: [HTTPHeader("Link", link)])
        == .url(
          "https://gitlab.example.com/api/v4/projects/1/releases/v1/assets/links?page=3&per_page=100"
        ))
  }

  @Test func aLinkHeaderWithoutNextIsTheEnd() {
    let link = #"<https://x/a?page=1>; rel="first", <https://x/a?page=1>; rel="last""#
    #expect(NextPage(headers: [HTTPHeader("link", link)]) == nil)
  }
}
