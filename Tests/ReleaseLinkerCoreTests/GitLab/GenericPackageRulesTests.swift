import Testing

@testable import ReleaseLinkerCore

/// GitLab's expressions (lib/gitlab/regex/packages.rb) and the rewrites made of them.
@Suite struct GenericPackageRulesTests {
  @Test func namesTakeLettersDigitsAndDotUnderscoreDashPlus() {
    for name in ["hello", "my_app-1.2+x", "A.b"] { #expect(GenericPackageRules.isValidName(name)) }
    for name in ["", ".", "..", "a b", "a/b", "a~b", "émile"] {
      #expect(!GenericPackageRules.isValidName(name), "\(name)")
    }
  }

  @Test func versionsRefuseTwoDotsInARow() {
    for version in ["v1.7.0", "1.0.0-rc.1+build_5", "."] {
      #expect(GenericPackageRules.isValidVersion(version), "\(version)")
    }
    for version in ["", "1..2", "release/1.0", "1 0", "1~2"] {
      #expect(!GenericPackageRules.isValidVersion(version), "\(version)")
    }
  }

  @Test func fileNamesMayHoldATildeButNotAtEitherEnd() {
    for name in ["app.tar.gz", "a~b", "SHA256SUMS", "x+y_z-1"] {
      #expect(GenericPackageRules.isValidFileName(name), "\(name)")
    }
    for name in ["", ".", "..", "~a", "a~", "a b", "a/b", "ä.txt"] {
      #expect(!GenericPackageRules.isValidFileName(name), "\(name)")
    }
  }

  @Test func rewritesReplaceWhatGitLabRefuses() {
    #expect(GenericPackageRules.makeName("hello world") == "hello-world")
    #expect(GenericPackageRules.makeName("..") == nil)
    #expect(GenericPackageRules.makeVersion("release/1..0") == "release-1.0")
    #expect(GenericPackageRules.makeVersion("v1.7.0") == "v1.7.0")
    #expect(GenericPackageRules.makeFileName("my app~") == "my-app-")
    #expect(GenericPackageRules.makeFileName("~backup") == "-backup")
    #expect(GenericPackageRules.makeFileName("ünïcode.bin") == "-n-code.bin")
    #expect(GenericPackageRules.makeFileName("..") == nil)
  }
}
