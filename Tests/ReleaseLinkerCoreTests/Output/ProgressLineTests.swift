import Testing

@testable import ReleaseLinkerCore

@Suite struct ProgressLineTests {
  @Test func sizesReadAsPeopleReadThem() {
    #expect(ProgressLine.bytes(512) == "512 B")
    #expect(ProgressLine.bytes(1536) == "1.50 KiB")
    #expect(ProgressLine.bytes(12 << 20) == "12.0 MiB")
    #expect(ProgressLine.bytes(4 << 30) == "4.00 GiB")
    #expect(ProgressLine.bytes(300 << 20) == "300 MiB")
  }

  @Test func durations() {
    #expect(ProgressLine.duration(5) == "0:05")
    #expect(ProgressLine.duration(760) == "12:40")
    #expect(ProgressLine.duration(3723) == "1:02:03")
    #expect(ProgressLine.duration(.infinity) == "--:--")
  }

  @Test func aLogLineSaysBytesRateAndTimeLeft() {
    let line = ProgressLine.logLine(
      fileName: "app.iso", sent: 1 << 30, total: 4 << 30, elapsed: 5)
    #expect(line == "app.iso: 1.00 GiB of 4.00 GiB (25%), 205 MiB/s, 0:15 left")
    let done = ProgressLine.logLine(fileName: "app.iso", sent: 4 << 30, total: 4 << 30, elapsed: 20)
    #expect(done == "app.iso: 4.00 GiB sent in 0:20, 205 MiB/s")
  }

  @Test func theBarFitsItsWidth() {
    let bar = ProgressLine.bar(files: 2, sent: 1 << 30, total: 4 << 30, elapsed: 5, width: 80)
    #expect(bar.count <= 80)
    #expect(bar.hasPrefix("uploading 2 files ["))
    #expect(bar.contains("1.00 GiB / 4.00 GiB"))
  }
}
