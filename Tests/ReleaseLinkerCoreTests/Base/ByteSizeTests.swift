import Testing

@testable import ReleaseLinkerCore

@Suite struct ByteSizeTests {
  @Test func sizesAsPeopleWriteThem() {
    #expect(ByteSize.parse("1024") == 1024)
    #expect(ByteSize.parse("1K") == 1024)
    #expect(ByteSize.parse("512M") == 512 << 20)
    #expect(ByteSize.parse("2G") == 2 << 30)
    #expect(ByteSize.parse("10GiB") == 10 << 30)
    #expect(ByteSize.parse("1tb") == 1 << 40)
  }

  @Test func whatIsNotASizeIsRefused() {
    for text in ["", "G", "-1", "1.5G", "12X", "99999999999999999999", "9999999999T"] {
      #expect(ByteSize.parse(text) == nil, "\(text)")
    }
  }

  @Test func sizesAreShownInTheirLargestExactUnit() {
    #expect(ByteSize.shown(2 << 30) == "2 GiB")
    #expect(ByteSize.shown(1536) == "1536 bytes")
    #expect(ByteSize.shown(3 << 10) == "3 KiB")
    #expect(ByteSize.shown(1000) == "1000 bytes")
  }
}
