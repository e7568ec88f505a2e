#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Shows how long uploads are going: on a terminal one status line redrawn in place (a bar over
/// every file in flight); in a CI log, or wherever standard error is not a terminal, one line per
/// large file every few seconds with the bytes sent, the rate and the time left, and one when it
/// is done. Small files, which finish before a line is due, print nothing.
final class UploadProgressReporter: Sendable {
  enum Mode: Sendable {
    case terminal(width: Int)
    case log
  }

  /// Files at least this large get log lines.
  static let largeFile: Int64 = 16 << 20

  private struct Transfer {
    var sent: Int64 = 0
    var total: Int64
    var started: Double
    var lastLine: Double
  }

  private struct State {
    var transfers: [String: Transfer] = [:]
    var lastDraw: Double = -.infinity
    var drawn = false
    var startedAll: Double?
    var sentDone: Int64 = 0
    var totalDone: Int64 = 0
  }

  private let mode: Mode
  private let interval: Double
  private let write: @Sendable (String) -> Void
  private let clock: @Sendable () -> Double
  private let state = Locked(State())

  /// - Parameters:
  ///   - interval: seconds between two log lines of one file.
  ///   - clock: seconds on a monotonic clock.
  init(
    mode: Mode, interval: Double = 5, write: @escaping @Sendable (String) -> Void,
    clock: @escaping @Sendable () -> Double = UploadProgressReporter.monotonicSeconds
  ) {
    self.mode = mode
    self.interval = interval
    self.write = write
    self.clock = clock
  }

  /// The reporter for the context: a bar on an interactive terminal outside CI, lines otherwise.
  static func make(context: Context) -> UploadProgressReporter {
    let width = Int(context.environment["COLUMNS"] ?? "") ?? 80
    let sink = context.sink
    let mode: Mode =
      context.sink.isTerminal && !context.environment.isGitLabCI
      ? .terminal(width: max(20, width - 1)) : .log
    return UploadProgressReporter(mode: mode, write: { sink.standardError($0) })
  }

  /// What ``PackageUploader`` reports, from any transfer's thread.
  func update(fileName: String, sent: Int64, total: Int64) {
    let now = clock()
    var output: String?
    state.withLock { state in
      if state.startedAll == nil { state.startedAll = now }
      var transfer =
        state.transfers[fileName] ?? Transfer(total: total, started: now, lastLine: now)
      if sent < transfer.sent {
        // A retry starts the file again.
        transfer = Transfer(total: total, started: now, lastLine: now)
      }
      transfer.sent = sent
      let done = sent >= total
      switch mode {
      case .log:
        if total >= Self.largeFile, done || now - transfer.lastLine >= interval {
          output =
            ProgressLine.logLine(
              fileName: fileName, sent: sent, total: total, elapsed: now - transfer.started) + "\n"
          transfer.lastLine = now
        }
      case .terminal(let width):
        if done || now - state.lastDraw >= 0.2 {
          output = bar(state, replacing: fileName, with: transfer, now: now, width: width)
          state.lastDraw = now
          state.drawn = true
        }
      }
      if done {
        state.transfers[fileName] = nil
        state.sentDone += total
        state.totalDone += total
      } else {
        state.transfers[fileName] = transfer
      }
    }
    if let output { write(output) }
  }

  /// Clears the terminal's status line once every upload is over.
  func finish() {
    let clear = state.withLock { state -> Bool in
      defer { state.drawn = false }
      return state.drawn
    }
    if clear, case .terminal = mode { write("\r\u{1B}[K") }
  }

  private func bar(
    _ state: State, replacing name: String, with transfer: Transfer, now: Double, width: Int
  ) -> String {
    var transfers = state.transfers
    transfers[name] = transfer
    let sent = state.sentDone + transfers.values.reduce(0) { $0 + $1.sent }
    let total = state.totalDone + transfers.values.reduce(0) { $0 + $1.total }
    let active = transfers.values.count { $0.sent < $0.total }
    let line = ProgressLine.bar(
      files: max(1, active), sent: sent, total: total, elapsed: now - (state.startedAll ?? now),
      width: width)
    return "\r\u{1B}[K" + line
  }

  static let monotonicSeconds: @Sendable () -> Double = {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
  }
}
