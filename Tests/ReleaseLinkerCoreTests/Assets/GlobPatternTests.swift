import Testing

@testable import ReleaseLinkerCore

@Suite struct GlobPatternTests {
  @Test(arguments: [
    ("*.deb", "app.deb", true),
    ("*.deb", "bin/app.deb", false),
    ("bin/*", "bin/app", true),
    ("bin/*", "bin/sub/app", false),
    ("**/*.deb", "app.deb", true),
    ("**/*.deb", "a/b/c/app.deb", true),
    ("**", "a/b/c", true),
    ("dist/**", "dist/a/b", true),
    ("dist/**", "other/a", false),
    ("a/**/z", "a/z", true),
    ("a/**/z", "a/b/c/z", true),
    ("a/**/z", "a/bz", false),
    ("app-?.bin", "app-1.bin", true),
    ("app-?.bin", "app-12.bin", false),
    ("?", "/", false),
    ("app-[0-9].bin", "app-7.bin", true),
    ("app-[0-9].bin", "app-x.bin", false),
    ("app-[!0-9].bin", "app-x.bin", true),
    ("app-[!0-9].bin", "app-7.bin", false),
    ("app-[^a-c].bin", "app-b.bin", false),
    ("[]]x", "]x", true),
    ("\\*.txt", "*.txt", true),
    ("\\*.txt", "a.txt", false),
    ("*", "", true),
    ("*.tar.gz", "résumé.tar.gz", true),
    ("r?sum?.pdf", "résumé.pdf", true),
  ])
  func matching(pattern: String, path: String, expected: Bool) throws {
    #expect(try GlobPattern(pattern).matches(path) == expected, "\(pattern) vs \(path)")
  }

  @Test func unterminatedClassIsAUsageError() {
    #expect(throws: UsageError.self) { try GlobPattern("app-[0-9.bin") }
  }

  @Test func manyStarsOnALongPathStayFast() throws {
    // Memoisation keeps this from exploding; a wrong answer would show as a failure, not a hang.
    let pattern = try GlobPattern("**a**a**a**a**a**a**b")
    #expect(!pattern.matches(String(repeating: "a/", count: 200)))
  }
}
