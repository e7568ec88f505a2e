import Testing

@testable import ReleaseLinkerCore

private struct ReadFailure: Error, Equatable {}

@Suite struct StreamDigestTests {
  /// Feeds `data` in pieces of varying length, as decompressors do.
  private func digest(_ data: [UInt8], sizeHint: Int64?) -> (digest: String, size: Int64) {
    var offset = 0
    var step = 1
    return StreamDigest.sha256(sizeHint: sizeHint) { buffer in
      step = step % 70_001 + 9_973
      let count = min(step, buffer.count, data.count - offset)
      data.withUnsafeBytes { source in
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count)]))
      }
      offset += count
      return count
    }
  }

  @Test(arguments: [0, 1, 63, 64, 65_536, 1 << 20, (3 << 20) + 17])
  func pipelinedAndInlineAgreeWithTheOneShotDigest(length: Int) {
    var generator = SeededGenerator(seed: UInt64(length))
    let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let expected = SHA256.hexDigest(data)
    let inline = digest(data, sizeHint: nil)
    let pipelined = digest(data, sizeHint: StreamDigest.pipelineThreshold)
    #expect(inline.digest == expected)
    #expect(pipelined.digest == expected)
    #expect(inline.size == Int64(length) && pipelined.size == Int64(length))
  }

  @Test func aReadErrorIsRethrownAfterTheWorkerStops() {
    var calls = 0
    #expect(throws: ReadFailure.self) {
      _ = try StreamDigest.sha256(sizeHint: StreamDigest.pipelineThreshold) {
        buffer throws(ReadFailure) in
        calls += 1
        if calls == 20 { throw ReadFailure() }
        return buffer.count
      }
    }
    #expect(calls == 20)
  }
}
