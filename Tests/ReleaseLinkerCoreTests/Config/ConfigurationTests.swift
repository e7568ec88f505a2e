import Testing

@testable import ReleaseLinkerCore

/// Settings resolve as flag > variable > default, remember their source, and name both the flag and
/// the variable when missing.
@Suite struct ConfigurationTests {
  private func configuration(
    _ input: ConfigurationInput = ConfigurationInput(), _ variables: [String: String] = [:]
  ) -> Configuration {
    Configuration(input: input, environment: Environment(variables))
  }

  @Test func theAPIURLComesFromTheFlagThenCIAPIV4URLThenTheServerURL() throws {
    var input = ConfigurationInput()
    input.apiURL = "https://flag.example.com/api/v4/"
    let all = [
      "CI_API_V4_URL": "https://v4.example.com/api/v4",
      "CI_SERVER_URL": "https://server.example.com/",
    ]
    #expect(
      try configuration(input, all).apiURL()
        == Setting("https://flag.example.com/api/v4", from: .flag("--api-url")))
    #expect(
      try configuration(ConfigurationInput(), all).apiURL()
        == Setting("https://v4.example.com/api/v4", from: .environment("CI_API_V4_URL")))
    #expect(
      try configuration(ConfigurationInput(), ["CI_SERVER_URL": "https://server.example.com/"])
        .apiURL()
        == Setting("https://server.example.com/api/v4", from: .environment("CI_SERVER_URL")))
  }

  @Test func anAPIURLWithoutASchemeIsAUsageErrorNamingItsSource() {
    #expect {
      try configuration(ConfigurationInput(), ["CI_API_V4_URL": "gitlab.example.com/api/v4"])
        .apiURL()
    } throws: { error in
      let message = (error as? UsageError)?.message ?? ""
      return message.contains("variable CI_API_V4_URL") && message.contains("http://")
    }
  }

  @Test func aMissingSettingNamesTheFlagAndEveryVariable() {
    for (read, words) in [
      (
        { _ = try self.configuration().project() },
        ["--project", "CI_PROJECT_ID", "CI_PROJECT_PATH"]
      ),
      ({ _ = try self.configuration().tag() }, ["--tag", "CI_COMMIT_TAG"]),
      ({ _ = try self.configuration().projectURL() }, ["--project-url", "CI_PROJECT_URL"]),
      ({ _ = try self.configuration().apiURL() }, ["--api-url", "CI_API_V4_URL", "CI_SERVER_URL"]),
    ] as [(() throws -> Void, [String])] {
      do {
        try read()
        Issue.record("expected a usage error naming \(words)")
      } catch let error as UsageError {
        for word in words { #expect(error.message.contains(word), "\(error.message)") }
      } catch {
        Issue.record("unexpected \(error)")
      }
    }
  }

  @Test func theProjectIDWinsOverThePathAndTheFlagOverBoth() throws {
    let variables = ["CI_PROJECT_ID": "20", "CI_PROJECT_PATH": "mynamespace/hello"]
    #expect(try configuration(ConfigurationInput(), variables).project().value.rawValue == "20")
    #expect(
      try configuration(ConfigurationInput(), ["CI_PROJECT_PATH": "a/b"]).project().source
        == .environment("CI_PROJECT_PATH"))
    var input = ConfigurationInput()
    input.project = "group/sub/app"
    #expect(try configuration(input, variables).project().value.rawValue == "group/sub/app")
  }

  @Test func theRootIsTheFlagThenCIProjectDirThenTheCurrentDirectory() {
    var input = ConfigurationInput()
    input.root = "/flag"
    #expect(
      configuration(input, ["CI_PROJECT_DIR": "/builds/x"]).root(currentDirectory: "/here").value
        == "/flag")
    #expect(
      configuration(ConfigurationInput(), ["CI_PROJECT_DIR": "/builds/x"]).root(
        currentDirectory: "/here")
        == Setting("/builds/x", from: .environment("CI_PROJECT_DIR")))
    #expect(
      configuration().root(currentDirectory: "/here") == Setting("/here", from: .defaultValue))
  }

  @Test func inlinePEMInAdditionalCACertBundleIsTextAndAnythingElseAPath() {
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    #expect(
      configuration(ConfigurationInput(), ["ADDITIONAL_CA_CERT_BUNDLE": pem]).caBundle()?.value
        == .pem(pem))
    #expect(
      configuration(ConfigurationInput(), ["ADDITIONAL_CA_CERT_BUNDLE": "/etc/ca.pem"]).caBundle()?
        .value
        == .file("/etc/ca.pem"))
    #expect(configuration().caBundle() == nil)
  }

  @Test func timeoutsRetriesAndConcurrencyHaveTheDocumentedDefaults() throws {
    let defaults = configuration()
    #expect(try defaults.timeout() == Setting(30, from: .defaultValue))
    #expect(try defaults.retries() == Setting(5, from: .defaultValue))
    #expect(try defaults.concurrency() == Setting(4, from: .defaultValue))
  }

  @Test func aTokenNeverPrintsItsValue() {
    let token = Token(
      "glpat-do-not-print", kind: .privateToken, source: .environment("GITLAB_TOKEN"))
    for text in [
      "\(token)", String(describing: token), String(reflecting: token),
      "\(Mirror(reflecting: token).children.map(\.value))",
    ] {
      #expect(!text.contains("glpat-do-not-print"))
    }
  }
}
