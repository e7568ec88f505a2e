import Foundation
import Testing

@testable import ReleaseLinkerCore

/// Reading an existing link's `direct_asset_path` back from its `direct_asset_url`.
@Suite struct ReleaseLinkTests {
  private func path(_ directAssetURL: String, tag: String?) -> String? {
    ReleaseLink.path(fromDirectAssetURL: directAssetURL, url: "https://other/x", tag: tag)
  }

  @Test(arguments: [
    (
      "https://gitlab.example.com/downloads/hello/-/releases/v1/downloads/bin/app", "v1", "/bin/app"
    ),
    ("https://gitlab.example.com/acme/downloads/-/releases/v1/downloads/bin/app", "v1", "/bin/app"),
    // A path that itself holds /downloads/.
    ("https://h/g/p/-/releases/v1/downloads/downloads/x.bin", "v1", "/downloads/x.bin"),
    // Tags as GitLab escapes them in the URL: '/' as %2F, '+' kept.
    (
      "https://h/g/p/-/releases/release%2Fv1.0+build.5/downloads/a.deb", "release/v1.0+build.5",
      "/a.deb"
    ),
    // A tag holding "/downloads/" is still taken whole.
    ("https://h/g/p/-/releases/x%2Fdownloads%2Fy/downloads/a.deb", "x/downloads/y", "/a.deb"),
  ])
  func thePathIsWhatFollowsExactlyTheReleasesDownloadsPrefix(
    url: String, tag: String, expected: String
  ) {
    #expect(path(url, tag: tag) == expected)
  }

  @Test func withoutTheTagTheFirstDownloadsAfterTheReleaseEndsThePrefix() {
    #expect(
      path("https://h/acme/downloads/-/releases/v1/downloads/bin/app", tag: nil) == "/bin/app")
  }

  @Test func aLinkWithoutAPathHasNone() {
    #expect(
      ReleaseLink.path(fromDirectAssetURL: "https://x/a", url: "https://x/a", tag: "v1") == nil)
  }

  @Test func decodingTakesTheTagFromTheDecoder() throws {
    let json = #"""
      {"id":1,"name":"a","url":"https://x/a","link_type":"other",
       "direct_asset_url":"https://h/downloads/p/-/releases/v1/downloads/bin/a"}
      """#
    let decoder = JSONDecoder()
    decoder.userInfo[ReleaseLink.tagUserInfoKey] = "v1"
    let link = try decoder.decode(ReleaseLink.self, from: Data(json.utf8))
    #expect(link.directAssetPath == "/bin/a")
  }
}
