import Testing

@testable import ReleaseLinkerCore

struct GitLabVersionTests {
  @Test func readsWhatGitLabReports() {
    #expect(GitLabVersion("15.8.1-ee") == GitLabVersion(major: 15, minor: 8, patch: 1))
    #expect(GitLabVersion("17.5.0-pre") == GitLabVersion(major: 17, minor: 5))
    #expect(GitLabVersion("16.11") == GitLabVersion(major: 16, minor: 11))
    #expect(GitLabVersion("15.8.1-ee")?.text == "15.8.1-ee")
    for text in ["", "15", "latest", "v15.8", "15.x"] { #expect(GitLabVersion(text) == nil) }
  }

  @Test func directAssetPathFrom15Point9() {
    #expect(GitLabVersion("15.8.6-ee")?.acceptsDirectAssetPath == false)
    #expect(GitLabVersion("15.9.0")?.acceptsDirectAssetPath == true)
    #expect(GitLabVersion("16.0.0")?.acceptsDirectAssetPath == true)
    #expect(GitLabVersion("14.10.5")?.acceptsDirectAssetPath == false)
    #expect(LinkPathParameter.forServer(nil) == .directAssetPath)
    #expect(LinkPathParameter.forServer(GitLabVersion("15.8.0")) == .filepath)
  }

  @Test func theVariableOrNothing() {
    let configuration = Configuration(
      input: ConfigurationInput(), environment: Environment(["CI_SERVER_VERSION": "15.8.1-ee"]))
    #expect(configuration.serverVersion()?.value == GitLabVersion(major: 15, minor: 8, patch: 1))
    #expect(configuration.serverVersion()?.source == .environment("CI_SERVER_VERSION"))
    let none = Configuration(input: ConfigurationInput(), environment: Environment([:]))
    #expect(none.serverVersion() == nil)
  }
}
