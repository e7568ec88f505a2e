import Foundation
import Testing

@testable import ReleaseLinkerCore

/// GitLab's own rule, written independently of the code under test: Ruby's
/// `\A/[^/](?!.*//.*)[\-\.\w/]+[\da-zA-Z]+\z` with `\w` as ASCII, and at most 128 characters.
func gitLabAcceptsPath(_ path: String) -> Bool {
  guard path.count <= 128 else { return false }
  let pattern = #"\A/[^/](?!.*//.*)[\-\.A-Za-z0-9_/]+[0-9a-zA-Z]+\z"#
  guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
  let range = NSRange(path.startIndex..., in: path)
  return regex.firstMatch(in: path, range: range) != nil
}

// SeededGenerator (SplitMix64) is shared with the publish tests.

@Suite struct DirectAssetPathTests {
  @Test(arguments: ["/binaries/awesome-app.dmg", "/sub_tr__ee.ex..ample-2--1/v99.com"])
  func gitLabsValidExamplesAreKept(path: String) {
    #expect(gitLabAcceptsPath(path))
    #expect(DirectAssetPath.isValid(path))
    #expect(DirectAssetPath.make(path) == path)
  }

  @Test(arguments: [
    "/ab", "/binaries/app.dmg-", "binaries/app.dmg", "//x.com", "/binarïes/âwésome.dmg", "/a b.txt",
    "/x+y.bin", "",
  ])
  func gitLabsInvalidExamplesAreRewrittenIntoValidPaths(path: String) {
    #expect(!gitLabAcceptsPath(path))
    #expect(!DirectAssetPath.isValid(path))
    let made = DirectAssetPath.make(path)
    #expect(gitLabAcceptsPath(made), "\(path) → \(made)")
  }

  @Test func missingLeadingSlashIsAddedWithoutOtherChange() {
    #expect(DirectAssetPath.make("binaries/app.dmg") == "/binaries/app.dmg")
  }

  @Test func charactersOutsideTheSetBecomeDashesAndNothingElseChanges() {
    #expect(DirectAssetPath.make("/dist/my app+v1#2%.tar.gz") == "/dist/my-app-v1-2-.tar.gz")
    #expect(DirectAssetPath.make("/docs/Résumé.pdf") == "/docs/R-sum-.pdf")
    #expect(DirectAssetPath.make("ok/café ü.bin") == "/ok/caf---.bin")
    #expect(DirectAssetPath.make("/a//b.txt") == "/a/b.txt")
  }

  @Test func pathsThatRewriteAlikeAreAlikeUntilDisambiguated() {
    let inputs = ["/a b.txt", "/a+b.txt", "/a#b.txt", "/a%b.txt"]
    #expect(Set(inputs.map { DirectAssetPath.make($0) }) == ["/a-b.txt"])
    let apart = inputs.map { DirectAssetPath.make($0, disambiguating: true) }
    #expect(Set(apart).count == inputs.count)
    #expect(apart.allSatisfy(gitLabAcceptsPath), "\(apart)")
    #expect(apart.allSatisfy { $0.hasPrefix("/a-b-") && $0.hasSuffix(".txt") })
    // A path GitLab accepts as it is never changes.
    #expect(DirectAssetPath.make("/a-b.txt", disambiguating: true) == "/a-b.txt")
  }

  @Test func pathsTheRewriteCannotFixGetAHashThatKeepsThemApart() {
    let inputs = ["/ab", "/a", "/binaries/app.dmg-", "/binaries/app.dmg_", "/x y-"]
    let made = inputs.map { DirectAssetPath.make($0) }
    #expect(made.allSatisfy(gitLabAcceptsPath), "\(made)")
    #expect(Set(made).count == inputs.count, "\(made)")
  }

  @Test func rewriteIsDeterministic() {
    #expect(DirectAssetPath.make("/x y/z+1.bin") == DirectAssetPath.make("/x y/z+1.bin"))
  }

  @Test func longPathsAreShortenedKeepingTheFileName() {
    let long = "/" + String(repeating: "directory/", count: 20) + "the-actual-artifact-1.2.3.tar.gz"
    #expect(long.count > 128)
    let made = DirectAssetPath.make(long)
    #expect(made.count <= 128)
    #expect(made.hasSuffix(".gz"))
    #expect(made.contains("the-actual-artifact-1.2.3.tar"))
    #expect(gitLabAcceptsPath(made))
    let sibling = DirectAssetPath.make(
      "/" + String(repeating: "directorx/", count: 20) + "the-actual-artifact-1.2.3.tar.gz")
    #expect(sibling != made)
  }

  @Test func everyDerivedPathMatchesGitLabsRule() {
    var generator = SeededGenerator(seed: 0x5EED_CAFE)
    let alphabet: [Character] = Array(
      "abcXYZ019._-/ +#%?&=~!@$()[]{}'\"\\:;,é漢字ü\u{0301}\u{1F600}\t")
    for round in 0..<40 {
      var inputs = Set<String>()
      while inputs.count < 250 {
        let length = Int.random(in: 0...200, using: &generator)
        var text = ""
        for _ in 0..<length { text.append(alphabet.randomElement(using: &generator) ?? "a") }
        inputs.insert(text)
      }
      for input in inputs {
        let made = DirectAssetPath.make(input)
        #expect(gitLabAcceptsPath(made), "round \(round): \(input.debugDescription) → \(made)")
      }
    }
  }
}

extension DirectAssetPathTests {
  @Test(arguments: [
    ("", "it is empty"), ("bin/app", "must start with '/'"), ("/ab", "shorter than 4"),
    ("/a b.txt", "contains ' '"), ("/x//y.bin", "contains '//'"),
    ("/app.dmg-", "'-' is not a letter"),
    ("/" + String(repeating: "a", count: 130), "131 characters long"),
  ])
  func theRuleAPathBreaksIsNamed(path: String, clause: String) {
    #expect(DirectAssetPath.problem(with: path)?.contains(clause) == true)
    #expect(!DirectAssetPath.isValid(path))
  }

  @Test func aValidPathBreaksNoRule() {
    for path in ["/binaries/awesome-app.dmg", "/sub_tr__ee.ex..ample-2--1/v99.com"] {
      #expect(DirectAssetPath.problem(with: path) == nil)
      #expect(DirectAssetPath.isValid(path))
    }
  }
}
