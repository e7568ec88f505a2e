import Testing

@testable import ReleaseLinkerCore

@Suite struct ChecksumsFileTests {
  let digest = String(repeating: "ab", count: 32)

  @Test func oneLinePerAssetAsSha256sumWritesThem() {
    #expect(
      ChecksumsFile.render([("app", digest), ("dir/b c.txt", digest)])
        == "\(digest)  app\n\(digest)  dir/b c.txt\n")
  }

  @Test func namesWithBackslashesOrLineBreaksAreEscapedTheCoreutilsWay() {
    #expect(ChecksumsFile.render([("a\\b\nc", digest)]) == "\\\(digest)  a\\\\b\\nc\n")
  }
}
