import ReleaseLinkerCore

#if canImport(Glibc)
  import Glibc
#endif

/// The fuzzer's bytes, cut into the pieces a target needs.
public struct FuzzInput {
  public var bytes: [UInt8]

  public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
    bytes = Array(UnsafeBufferPointer(start: data, count: size))
  }

  /// The input split at NUL bytes, at most `count` pieces (the last takes the rest).
  public func pieces(_ count: Int) -> [[UInt8]] {
    var result: [[UInt8]] = []
    var current: [UInt8] = []
    for byte in bytes {
      if byte == 0, result.count < count - 1 {
        result.append(current)
        current = []
      } else {
        current.append(byte)
      }
    }
    result.append(current)
    while result.count < count { result.append([]) }
    return result
  }

  /// Bytes as text, with invalid UTF-8 repaired as the core would see it from a decoder.
  public static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// An output sink that drops everything: fuzzing looks for crashes, not messages.
public struct DiscardingSink: OutputSink {
  public init() {}
  public func standardOutput(_ text: String) {}
  public func standardError(_ text: String) {}
  public var isTerminal: Bool { false }
}

/// Stops the fuzzer with a message when an invariant of the code under test does not hold.
public func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("invariant broken: \(message())") }
}

/// libFuzzer's driver (compiler-rt): parses libFuzzer's flags and calls `test` with each input.
@_silgen_name("LLVMFuzzerRunDriver")
private func libFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the process's arguments over `test`, then exits with its status.
public func runFuzzer(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
  var argc = CommandLine.argc
  var argv = CommandLine.unsafeArgv
  exit(libFuzzerRunDriver(&argc, &argv, test))
}
