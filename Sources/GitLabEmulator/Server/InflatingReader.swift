import NIOCore

/// A deflated zip entry on disk, inflated a chunk at a time as the client takes it: only the
/// current piece of input and output is ever held.
final class InflatingReader: BodyReader {
  private let compressed: FileSliceReader
  private let inflater: Inflater
  private var input = ByteBuffer()
  private var finished = false

  init?(path: String, offset: Int, compressedLength: Int) {
    guard let compressed = FileSliceReader(path: path, offset: offset, length: compressedLength),
      let inflater = Inflater()
    else { return nil }
    self.compressed = compressed
    self.inflater = inflater
  }

  func read(into buffer: inout ByteBuffer, limit: Int) throws(BodyReadError) -> Int {
    while !finished {
      if input.readableBytes == 0 {
        input.clear()
        // A stream that ends before its final block is a corrupt entry.
        guard try compressed.read(into: &input, limit: 1 << 16) > 0 else {
          throw BodyReadError(errno: 0)
        }
      }
      var step: Inflater.Step?
      buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: limit) { output in
        let room = UnsafeMutableRawBufferPointer(rebasing: output.prefix(limit))
        step = input.withUnsafeReadableBytes { try? inflater.step(input: $0, output: room) }
        switch step {
        case .progressed(_, let produced)?, .finished(_, let produced)?: return produced
        case nil: return 0
        }
      }
      switch step {
      case .finished(let consumed, let produced)?:
        input.moveReaderIndex(forwardBy: consumed)
        finished = true
        return produced
      case .progressed(let consumed, let produced)?:
        input.moveReaderIndex(forwardBy: consumed)
        if produced > 0 { return produced }
        if consumed == 0 && input.readableBytes > 0 { throw BodyReadError(errno: 0) }
      case nil:
        throw BodyReadError(errno: 0)
      }
    }
    return 0
  }

  func close() {
    compressed.close()
    finished = true
  }
}
