import Testing

@testable import ReleaseLinkerCore

@Suite struct ReleaseLinksPathTests {
  private func client(project: String, tag: String) -> ReleaseLinksClient {
    let transport = HTTPTransport(settings: TransportSettings())
    let connection = GitLabConnection(
      apiURL: "https://gitlab.example.com/api/v4/",
      token: Token("t", kind: .jobToken, source: .defaultValue), transport: transport)
    return ReleaseLinksClient(connection: connection, project: ProjectIdentifier(project), tag: tag)
  }

  @Test func aNumericProjectAndPlainTag() {
    #expect(
      client(project: "24", tag: "v0.1").linksPath == "/projects/24/releases/v0.1/assets/links")
  }

  @Test func aProjectPathAndATagWithSlashAndPlusAreOneSegmentEach() {
    #expect(
      client(project: "group/sub/project", tag: "release/v1.0+build.5").linksPath
        == "/projects/group%2Fsub%2Fproject/releases/release%2Fv1.0%2Bbuild.5/assets/links")
  }

  @Test func spacesPercentAndHashAreEncoded() {
    #expect(
      client(project: "1", tag: "a b%c#d?e").releasePath == "/projects/1/releases/a%20b%25c%23d%3Fe"
    )
  }

  @Test func theRequestBodyCarriesTheFourFields() throws {
    let body = try ReleaseLinksClient.body(
      LinkFields(
        name: "a.dmg", url: "https://x/a.dmg", directAssetPath: "/bin/a.dmg", linkType: .package))
    #expect(
      String(decoding: body, as: UTF8.self)
        == #"{"direct_asset_path":"/bin/a.dmg","link_type":"package","name":"a.dmg","url":"https://x/a.dmg"}"#
    )
  }

  @Test func pagesOfJSONArraysAreJoinedIntoOne() {
    #expect(
      ReleaseLinksClient.arrayContents(" [ {\"id\":1} , {\"id\":2} ]\n")
        == "{\"id\":1} , {\"id\":2}")
    #expect(ReleaseLinksClient.arrayContents("[]") == "")
  }
}
