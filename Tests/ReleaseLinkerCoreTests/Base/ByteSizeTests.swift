import Testing

@testable import ReleaseLinkerCore

@Suite struct ByteSizeTests {
  @Test func bytesAndUnits() {
    #expect(ByteSize.parse("1048576") == 1_048_576)
    #expect(ByteSize.parse("1K") == 1024)
    #expect(ByteSize.parse("10k") == 10_240)
    #expect(ByteSize.parse("512M") == 512 << 20)
    #expect(ByteSize.parse("5GiB") == 5 << 30)
    #expect(ByteSize.parse("5G") == 5 << 30)
    #expect(ByteSize.parse("1.5 MiB") == 1_572_864)
    #expect(ByteSize.parse("2GB") == 2_000_000_000)
    #expect(ByteSize.parse("1tb") == 1_000_000_000_000)
  }

  @Test func nonsenseIsRefused() {
    for text in [
      "", "0", "-1", "G", "GiB", "12X", "5 parsecs", "1e3", "99999999999999999999", "9999999999T",
    ] {
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
