import Testing

@testable import ReleaseLinkerCore

@Suite struct ArtifactPathTests {
  @Test(arguments: [
    ("bin/app", "bin/app"), ("./bin/app", "bin/app"), ("bin//app", "bin/app"),
    ("bin/./app", "bin/app"), ("a b/c+d", "a b/c+d"),
  ])
  func normalises(name: String, expected: String) {
    #expect(ArtifactPath.normalise(name) == .success(expected))
  }

  @Test(arguments: [
    ("", ArtifactPath.Rejection.empty), ("./", .empty), ("/etc/passwd", .absolute),
    ("C:/x", .absolute), ("../x", .escapes), ("a/../../x", .escapes), ("a/../b", .escapes),
  ])
  func rejects(name: String, rejection: ArtifactPath.Rejection) {
    #expect(ArtifactPath.normalise(name) == .failure(rejection))
  }
}
