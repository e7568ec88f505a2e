import Testing

@testable import ReleaseLinkerCore

@Suite struct ByteSizeTests {
  @Test func bytesAndUnits() {
    #expect(ByteSize.parse("1048576") == 1_048_576)
    #expect(ByteSize.parse("5GiB") == 5 << 30)
    #expect(ByteSize.parse("5G") == 5 << 30)
    #expect(ByteSize.parse("1.5 MiB") == 1_572_864)
    #expect(ByteSize.parse("2GB") == 2_000_000_000)
    #expect(ByteSize.parse("10k") == 10_240)
  }

  @Test func nonsenseIsRefused() {
    for text in ["", "0", "-1", "GiB", "5 parsecs", "1e3"] {
      #expect(ByteSize.parse(text) == nil, "\(text)")
    }
  }
}
