import Testing

@testable import ReleaseLinkerCore

@Suite struct ReleaseLinkProbeTests {
  @Test func theSignInPageIsRecognisedWhateverItsQuery() {
    #expect(ReleaseLinkProbe.isSignInPage("https://gitlab.example.com/users/sign_in"))
    #expect(ReleaseLinkProbe.isSignInPage("https://gitlab.example.com/users/sign_in?redirect=x"))
    #expect(
      !ReleaseLinkProbe.isSignInPage("https://gitlab.example.com/g/p/-/package_files/1/download"))
  }

  @Test func successIsOKUnlessItIsTheSignInPage() {
    let page = HTTPResponse(
      status: 200, headers: [], body: [], url: "https://h/users/sign_in")
    #expect(ReleaseLinkProbe.verdict(page) == .signInRequired)
    let file = HTTPResponse(status: 206, headers: [], body: [0], url: "https://h/g/p/-/x")
    #expect(ReleaseLinkProbe.verdict(file) == .ok)
    let missing = HTTPResponse(status: 404, headers: [], body: [], url: "https://h/g/p/-/x")
    #expect(ReleaseLinkProbe.verdict(missing) == nil)
  }
}
