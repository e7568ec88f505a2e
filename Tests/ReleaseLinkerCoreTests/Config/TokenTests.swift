import Foundation
import Testing

@testable import ReleaseLinkerCore

/// A token is sent as its kind requires, whatever variable it came in.
struct TokenTests {
  private func token(_ environment: [String: String], file: String? = nil) throws -> Token {
    try Configuration(
      input: ConfigurationInput(tokenFile: file), environment: Environment(environment)
    )
    .token()
  }

  @Test func prefixesTellTheKind() {
    #expect(TokenClassification.of("glcbt-64_abc", jobToken: nil) == .usable(.jobToken))
    #expect(TokenClassification.of("glpat-abc", jobToken: nil) == .usable(.privateToken))
    #expect(TokenClassification.of("SIE-glpat-abc", jobToken: nil) == .usable(.privateToken))
    #expect(TokenClassification.of("SIE-glcbt-abc", jobToken: nil) == .usable(.jobToken))
    #expect(
      TokenClassification.of(String(repeating: "a1", count: 32), jobToken: nil) == .usable(.oauth))
    #expect(TokenClassification.of("legacy20characters00", jobToken: nil) == .usable(.privateToken))
    #expect(TokenClassification.of("anything", jobToken: "anything") == .usable(.jobToken))
    for refused in ["gldt-abc", "gloas-abc", "glrt-abc", "glptt-abc", "glft-abc"] {
      guard case .refused = TokenClassification.of(refused, jobToken: nil) else {
        Issue.record("\(refused) should be refused")
        continue
      }
    }
  }

  @Test func theJobTokenInGitLabTokenIsStillAJobToken() throws {
    let job = try token(["GITLAB_TOKEN": "ci-secret", "CI_JOB_TOKEN": "ci-secret"])
    #expect(job.kind == .jobToken && job.source == .environment("GITLAB_TOKEN"))
    let prefixed = try token(["GITLAB_TOKEN": "glcbt-xyz"])
    #expect(prefixed.kind == .jobToken)
    let access = try token(["GITLAB_TOKEN": "glpat-xyz", "CI_JOB_TOKEN": "glcbt-other"])
    #expect(access.kind == .privateToken)
    let oauth = try token(["GITLAB_TOKEN": String(repeating: "0f", count: 32)])
    #expect(oauth.kind == .oauth && oauth.headerFieldValue.hasPrefix("Bearer "))
  }

  @Test func aJobTokenInAFileIsAJobToken() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "release-linker-token-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data("glcbt-from-file\n".utf8).write(to: file)
    let token = try token([:], file: file.path)
    #expect(token.kind == .jobToken && token.source == .file(file.path))
  }

  @Test func aDeployTokenIsRefusedNamingWhereItCameFrom() {
    #expect {
      try token(["GITLAB_TOKEN": "gldt-secret-value"])
    } throws: { error in
      guard let usage = error as? UsageError else { return false }
      return usage.message.contains("GITLAB_TOKEN") && usage.message.contains("deploy token")
        && !usage.message.contains("secret-value")
    }
  }
}
