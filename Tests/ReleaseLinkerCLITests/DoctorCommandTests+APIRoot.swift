import Foundation
import GitLabEmulator
import Testing

extension DoctorCommandTests {
  /// Issue 12: an API root that is not GitLab's fails the check, whether the server knows no such
  /// route or answers something that is not a release.
  @Test func aServerThatDoesNotAnswerLikeGitLabsAPIFails() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addRelease(projectID: 24, tag: "v0.1")
      emulator.addPrivateToken(Self.token, roles: [24: .reporter])
      emulator.setStorageObject("index.html", bytes: Array("<html>Sign in</html>".utf8))
      let base = [
        "CI_PROJECT_ID": "24", "CI_COMMIT_TAG": "v0.1", "GITLAB_TOKEN": Self.token,
      ]
      let noAPI = try CLIRunner.run(
        ["doctor"], environment: base.merging(["CI_API_V4_URL": emulator.baseURL]) { $1 })
      #expect(noAPI.status == 64, "\(noAPI.allOutput)")
      #expect(
        noAPI.stdout.contains(
          "[fail] The server at \(emulator.baseURL) does not answer like GitLab's API"))
      #expect(!noAPI.stdout.contains("[pass]"))

      // A web page where the release should be (a sign-in page behind a wrong root).
      let page = try CLIRunner.run(
        ["doctor", "--api-url", emulator.baseURL + "/object-storage/index.html?"],
        environment: base)
      #expect(page.status != 0, "\(page.allOutput)")
      #expect(page.stdout.contains("does not answer like GitLab's API"), "\(page.stdout)")
    }
  }
}
