import Foundation
import Testing

/// A listing that does not end as GitLab's do — too many links, too many bytes, too many pages, a
/// loop, a `Link: rel="next"` elsewhere — fails with 69 and is never planned against.
@Suite(.serialized) struct ListingBoundsTests {
  static let release = "/api/v4/projects/20/releases/v1.0"
  static let token = "glcbt-listing-token"

  /// A handler answering the release, and its listing with `listing` (Python, `page` in scope).
  static func handler(_ listing: String) -> String {
    """
    page = int(query.get("page", "1"))
    if method == "GET" and path == "\(release)":
        reply(200, '{"tag_name":"v1.0"}')
    elif method == "GET" and path == "\(release)/assets/links":
    \(listing.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    else:
        STATE["writes"] = STATE.get("writes", 0) + 1
        reply(500, '{"message":"no write expected"}')
    """
  }

  static let links = """
    def links(first, count, pad=0):
        return "[" + ",".join('{"id":%d,"name":"n%d%s","url":"https://e/%d","direct_asset_url":"https://e/%d","link_type":"other"}' % (i, i, "x" * pad, i, i) for i in range(first, first + count)) + "]"
    """

  private func publish(_ server: HostileServer) throws -> CLIResult {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("listing-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("bin"), withIntermediateDirectories: true)
    try Data("x".utf8).write(to: directory.appendingPathComponent("bin/app"))
    defer { try? FileManager.default.removeItem(at: directory) }
    return try CLIRunner.run(
      ["publish", "bin", "--retries", "0"],
      environment: server.environment(token: Self.token, directory: directory), in: directory,
      timeout: 300)
  }

  @Test func aListingOfMoreLinksThanTheCapFailsWith69() throws {
    // 1,000 links a page, whatever per_page says, and always a next page.
    let server = try HostileServer(
      handler: Self.links + "\n"
        + Self.handler(
          """
          reply(200, links((page - 1) * 1000 + 1, 1000), [("X-Next-Page", str(page + 1))])
          """))
    let result = try publish(server)
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("more than 100000 links"), "\(result.stderr)")
    #expect(result.stderr.contains("not taken as complete"))
    #expect(server.hits.filter { $0.method != "GET" }.isEmpty)
    #expect(server.hits.count <= 103)
  }

  @Test func aListingOfMoreBytesThanTheCapFailsWith69() throws {
    // Pages that grow by 8 MiB each: the total passes 128 MiB long before memory does.
    let server = try HostileServer(
      handler: Self.links + "\n"
        + Self.handler(
          """
          reply(200, links(page * 10, 1, pad=page * 8 * 1024 * 1024), [("X-Next-Page", str(page + 1))])
          """))
    let result = try publish(server)
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("more than 128 MiB"), "\(result.stderr)")
    #expect(server.hits.filter { $0.method != "GET" }.isEmpty)
  }

  @Test func aListingThatNeverEndsStopsAtThePageCapWith69() throws {
    // One link a page, forever: this used to run 10,000 requests and pass for complete.
    let server = try HostileServer(
      handler: Self.links + "\n"
        + Self.handler(
          """
          reply(200, links(page, 1), [("X-Next-Page", str(page + 1))])
          """))
    let result = try publish(server)
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("after 1000 pages"), "\(result.stderr)")
    #expect(server.hits.filter { $0.method != "GET" }.isEmpty)
  }

  @Test func aListingThatLoopsFailsWith69() throws {
    let server = try HostileServer(
      handler: Self.links + "\n"
        + Self.handler(
          """
          reply(200, links(page, 1), [("X-Next-Page", "1")])
          """))
    let result = try publish(server)
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("pointed back at a page"), "\(result.stderr)")
  }

  @Test func aNextLinkToAnotherHostIsAskedOfTheAPIsOwnOrigin() throws {
    // Page 1 names page 2 on another host name (no X-Next-Page): the page number is asked of the
    // API's own origin, so links from elsewhere are never taken as this release's.
    let server = try HostileServer(
      handler: Self.links + "\n"
        + Self.handler(
          """
          if page == 1:
              reply(200, links(1, 1), [("Link", '<http://localhost:%d/api/v4/projects/99/releases/other/assets/links?page=2&per_page=100>; rel="next"' % port)])
          else:
              reply(200, links(2, 1))
          """))
    let directory = FileManager.default.temporaryDirectory
    let result = try CLIRunner.run(
      ["links", "list", "-o", "json"],
      environment: server.environment(token: Self.token, directory: directory))
    #expect(result.status == 0, "\(result.stderr)")
    let names = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
    ).compactMap { $0["name"] as? String }
    #expect(names == ["n1", "n2"])
    #expect(server.hits.allSatisfy { $0.host.hasPrefix("127.0.0.1") }, "\(server.hits.map(\.host))")
    #expect(server.hits.allSatisfy { !$0.path.contains("/projects/99/") })
  }

  @Test func aNextLinkElsewhereWithoutAPageNumberFailsWith69() throws {
    let server = try HostileServer(
      handler: Self.links + "\n"
        + Self.handler(
          """
          reply(200, links(page, 1), [("Link", '<http://localhost:%d/elsewhere?cursor=abc>; rel="next"' % port)])
          """))
    let result = try publish(server)
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("away from this release's links"), "\(result.stderr)")
    #expect(server.hits.allSatisfy { $0.host.hasPrefix("127.0.0.1") })
  }
}
