import GitLabEmulator
import Testing

/// gitlab-api.md, "Listing": newest first, `page`/`per_page`, and GitLab's pagination headers.
@Suite struct PaginationTests {
  private func seed(_ fixture: Fixture, count: Int) {
    for index in 1...count {
      fixture.emulator.addLink(
        projectID: 24, tag: "v1.0", name: "l\(index)", url: "https://x/\(index)")
    }
  }

  @Test func perPageDefaultsTo20() throws {
    try Fixture.run { fixture throws in
      seed(fixture, count: 45)
      let response = try fixture.get(Fixture.links)
      #expect(response.status == 200)
      #expect(response.ids == Array((26...45).reversed()))
      #expect(response.header("X-Page") == "1")
      #expect(response.header("X-Per-Page") == "20")
      #expect(response.header("X-Next-Page") == "2")
      #expect(response.header("X-Prev-Page") == "")
      #expect(response.header("X-Total") == "45")
      #expect(response.header("X-Total-Pages") == "3")
    }
  }

  @Test func aMiddlePageLinksToItsNeighboursAndEnds() throws {
    try Fixture.run { fixture throws in
      seed(fixture, count: 7)
      let response = try fixture.get("\(Fixture.links)?page=2&per_page=3")
      #expect(response.ids == [4, 3, 2])
      #expect(response.header("X-Next-Page") == "3")
      #expect(response.header("X-Prev-Page") == "1")
      let base = "\(fixture.emulator.apiURL)/projects/24/releases/v1.0/assets/links"
      func href(_ page: Int) -> String { "<\(base)?id=24&page=\(page)&per_page=3&tag_name=v1.0>" }
      #expect(
        response.header("Link")
          == "\(href(1)); rel=\"prev\", \(href(3)); rel=\"next\", \(href(1)); rel=\"first\", \(href(3)); rel=\"last\""
      )
    }
  }

  @Test func followingNextPageReadsEveryLinkOnce() throws {
    try Fixture.run { fixture throws in
      seed(fixture, count: 23)
      var ids: [Int] = []
      var page = "1"
      while !page.isEmpty {
        let response = try fixture.get("\(Fixture.links)?per_page=5&page=\(page)")
        ids += response.ids
        page = try #require(response.header("X-Next-Page"))
      }
      #expect(ids == Array((1...23).reversed()))
    }
  }

  @Test func perPageAbove100IsCapped() throws {
    try Fixture.run { fixture throws in
      seed(fixture, count: 105)
      let response = try fixture.get("\(Fixture.links)?per_page=500")
      #expect(response.ids.count == 100)
      #expect(response.header("X-Per-Page") == "100")
      #expect(response.header("X-Total-Pages") == "2")
    }
  }

  @Test func anEmptyListHasOnePageAndNoNeighbours() throws {
    try Fixture.run { fixture throws in
      let response = try fixture.get(Fixture.links)
      #expect(response.text == "[]")
      #expect(response.header("X-Total") == "0")
      #expect(response.header("X-Total-Pages") == "1")
      #expect(response.header("X-Next-Page") == "")
      #expect(response.header("Link")?.contains(#"rel="first""#) == true)
      #expect(response.header("Link")?.contains(#"rel="next""#) == false)
    }
  }

  @Test func aPageBeyondTheEndIsEmptyWithoutNeighbours() throws {
    try Fixture.run { fixture throws in
      seed(fixture, count: 3)
      let response = try fixture.get("\(Fixture.links)?page=5&per_page=2")
      #expect(response.text == "[]")
      #expect(response.header("X-Next-Page") == "")
      #expect(response.header("X-Prev-Page") == "")
    }
  }

  @Test func aboveTenThousandItemsTheTotalsAreOmitted() throws {
    try Fixture.run { fixture throws in
      seed(fixture, count: 10_001)
      let response = try fixture.get("\(Fixture.links)?per_page=100")
      #expect(response.ids.count == 100)
      #expect(response.header("X-Total") == nil)
      #expect(response.header("X-Total-Pages") == nil)
      #expect(response.header("X-Next-Page") == "2")
      #expect(response.header("Link")?.contains(#"rel="last""#) == false)
    }
  }

  @Test func credentialsInTheQueryAreNeverEchoedInLinks() throws {
    try Fixture.run { fixture throws in
      seed(fixture, count: 3)
      let response = try fixture.get("\(Fixture.links)?per_page=1&private_token=dev-token", [])
      #expect(response.status == 200)
      #expect(response.header("Link")?.contains("dev-token") == false)
    }
  }
}
