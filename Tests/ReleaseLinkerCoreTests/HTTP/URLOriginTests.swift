import Testing

@testable import ReleaseLinkerCore

@Suite struct URLOriginTests {
  @Test func defaultPortsFollowTheScheme() {
    #expect(
      URLOrigin("https://GitLab.example.com/api/v4")
        == URLOrigin("https://gitlab.example.com:443/x"))
    #expect(URLOrigin("http://gitlab.example.com/")?.port == 80)
  }

  @Test func hostPortAndSchemeEachMakeADifferentOrigin() {
    let api = URLOrigin("https://gitlab.example.com/api/v4")
    #expect(api != URLOrigin("https://storage.example.com/bucket"))
    #expect(api != URLOrigin("https://gitlab.example.com:8443/api/v4"))
    #expect(api != URLOrigin("http://gitlab.example.com/api/v4"))
  }

  @Test func userInfoAndIPv6AreHandled() {
    #expect(URLOrigin("http://user:pw@host:8080/p")?.hostAndPort == "host:8080")
    #expect(URLOrigin("http://[::1]:9000/p")?.hostAndPort == "[::1]:9000")
    #expect(URLOrigin("not a url") == nil)
  }
}
