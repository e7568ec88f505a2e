#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the core writes what the user sees. The core never prints directly: the CLI passes a sink that
/// writes to the process's streams, tests pass a ``CapturingSink``.
public protocol OutputSink: Sendable {
  /// Machine-readable or primary output (the JSON document, the table).
  func standardOutput(_ text: String)
  /// Human messages, warnings, progress and traces.
  func standardError(_ text: String)
  /// Whether standard error is an interactive terminal (for colour).
  var isTerminal: Bool { get }
  /// The width of the terminal standard output is, or nil when it is not a terminal.
  var standardOutputColumns: Int? { get }
}

extension OutputSink {
  public var standardOutputColumns: Int? { nil }
}

/// Writes to the process's standard output and standard error, unbuffered, one `write(2)` per call.
public struct StandardStreamsSink: OutputSink {
  public init() {}

  public func standardOutput(_ text: String) {
    Self.writeAll(text, to: 1)
  }

  public func standardError(_ text: String) {
    Self.writeAll(text, to: 2)
  }

  public var isTerminal: Bool { isatty(2) == 1 }

  public var standardOutputColumns: Int? {
    guard isatty(1) == 1 else { return nil }
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }

  private static func writeAll(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        // A closed pipe must not kill the run: the writes simply stop.
        return write(descriptor, base + offset, buffer.count - offset)
      }
      if written == 0 { return }
      if written < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += written
    }
    bytes.removeAll()
  }
}

/// Collects everything written, for tests and for composing reports.
public final class CapturingSink: OutputSink {
  private let state = Locked<(out: String, err: String)>(("", ""))

  public init() {}

  public func standardOutput(_ text: String) {
    state.withLock { $0.out += text }
  }

  public func standardError(_ text: String) {
    state.withLock { $0.err += text }
  }

  public var isTerminal: Bool { false }

  /// Everything written to standard output so far.
  public var output: String { state.withLock { $0.out } }
  /// Everything written to standard error so far.
  public var errors: String { state.withLock { $0.err } }
}
