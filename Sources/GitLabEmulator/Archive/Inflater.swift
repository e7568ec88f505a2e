import CZlib

/// A raw deflate stream (RFC 1951, as zip entries hold it) inflated piece by piece with zlib. The
/// `z_stream` lives on the heap: zlib keeps a pointer back to it, so it must never move.
final class Inflater {
  enum Step {
    /// Bytes were produced or input taken; more may follow.
    case progressed(consumed: Int, produced: Int)
    case finished(consumed: Int, produced: Int)
  }

  struct Failure: Error {
    var code: Int32
  }

  private let stream: UnsafeMutablePointer<z_stream>

  init?() {
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    guard czlib_inflate_init_raw(stream) == Z_OK else {
      stream.deallocate()
      return nil
    }
  }

  deinit {
    inflateEnd(stream)
    stream.deinitialize(count: 1)
    stream.deallocate()
  }

  /// Inflates from `input` into `output` as far as both allow.
  func step(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(Failure)
    -> Step
  {
    stream.pointee.next_in = UnsafeMutablePointer(
      mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    stream.pointee.avail_in = uInt(input.count)
    stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
    stream.pointee.avail_out = uInt(output.count)
    let status = inflate(stream, Z_NO_FLUSH)
    let consumed = input.count - Int(stream.pointee.avail_in)
    let produced = output.count - Int(stream.pointee.avail_out)
    stream.pointee.next_in = nil
    stream.pointee.next_out = nil
    switch status {
    case Z_STREAM_END: return .finished(consumed: consumed, produced: produced)
    // Z_BUF_ERROR only says no progress was possible with what was given.
    case Z_OK, Z_BUF_ERROR: return .progressed(consumed: consumed, produced: produced)
    default: throw Failure(code: status)
    }
  }

  /// Inflates a whole in-memory stream that should give `size` bytes; `nil` when it is corrupt.
  static func inflateAll(_ input: [UInt8], size: Int) -> [UInt8]? {
    guard size > 0 else { return [] }
    guard let inflater = Inflater() else { return nil }
    var output = [UInt8](repeating: 0, count: size)
    var taken = 0
    var made = 0
    while true {
      let step = try? input.withUnsafeBytes { inBytes in
        try output.withUnsafeMutableBytes { outBytes in
          try inflater.step(
            input: UnsafeRawBufferPointer(rebasing: inBytes[taken...]),
            output: UnsafeMutableRawBufferPointer(rebasing: outBytes[made...]))
        }
      }
      switch step {
      case .finished(_, let produced)?:
        return made + produced == size ? output : nil
      case .progressed(let consumed, let produced)?:
        guard consumed + produced > 0 else { return nil }
        taken += consumed
        made += produced
      case nil:
        return nil
      }
    }
  }
}
