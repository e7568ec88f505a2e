import Testing

@testable import ReleaseLinkerCore

/// The reporter's lines, driven by a clock the test moves.
@Suite struct UploadProgressReporterTests {
  final class Clock: Sendable {
    let now = Locked(0.0)
    func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
    func read() -> Double { now.withLock { $0 } }
  }

  final class Lines: Sendable {
    let text = Locked("")
    func append(_ line: String) { text.withLock { $0 += line } }
    var all: String { text.withLock { $0 } }
  }

  @Test func aCILogGetsOneLineEveryFewSecondsPerLargeFileAndOneWhenDone() {
    let clock = Clock()
    let lines = Lines()
    let reporter = UploadProgressReporter(
      mode: .log, interval: 5, write: lines.append, clock: { clock.read() })
    let total: Int64 = 1 << 30
    // A thousand callbacks over twelve seconds: two lines while it runs, one at the end.
    for step in 1...1000 {
      clock.advance(0.012)
      reporter.update(fileName: "big.iso", sent: total * Int64(step) / 1000, total: total)
    }
    let printed = lines.all.split(separator: "\n")
    #expect(printed.count == 3)
    #expect(printed[0].hasPrefix("big.iso: ") && printed[0].hasSuffix(" left"))
    #expect(printed[2].hasPrefix("big.iso: 1.00 GiB sent in 0:1"))
  }

  @Test func smallFilesPrintNothingInALog() {
    let clock = Clock()
    let lines = Lines()
    let reporter = UploadProgressReporter(
      mode: .log, interval: 5, write: lines.append, clock: { clock.read() })
    for step in 1...10 {
      clock.advance(1)
      reporter.update(fileName: "small", sent: Int64(step) * 100, total: 1000)
    }
    #expect(lines.all.isEmpty)
  }

  @Test func aTerminalGetsOneLineRedrawnInPlaceAndClearedAtTheEnd() {
    let clock = Clock()
    let lines = Lines()
    let reporter = UploadProgressReporter(
      mode: .terminal(width: 79), write: lines.append, clock: { clock.read() })
    for step in 1...100 {
      clock.advance(0.05)
      reporter.update(fileName: "a", sent: Int64(step) << 20, total: 100 << 20)
    }
    reporter.finish()
    #expect(!lines.all.contains("\n"))
    #expect(lines.all.hasPrefix("\r\u{1B}[K"))
    #expect(lines.all.hasSuffix("\r\u{1B}[K"))
    #expect(lines.all.contains("uploading 1 file ["))
  }
}
