import Dispatch

/// Computes an asset's SHA-256 while it is read, in one pass.
///
/// For large assets the hashing runs on a second thread, a few blocks behind the reading
/// (decompression or disk), so the two costs overlap instead of adding up; memory stays at
/// ``slotCount`` blocks whatever the size. Small assets are hashed inline, where a thread handoff
/// would cost more than it saves.
public enum StreamDigest {
  /// Assets at least this large (when their size is known up front) are hashed on a second thread.
  public static let pipelineThreshold: Int64 = 1 << 20
  static let slotCount = 4

  /// Calls `read` with a buffer of ``ArchiveReader/blockSize`` bytes until it returns 0, hashing
  /// everything it wrote; returns the lowercase hex digest and the number of bytes.
  public static func sha256<E: Error>(
    sizeHint: Int64?, read: (UnsafeMutableRawBufferPointer) throws(E) -> Int
  ) throws(E) -> (digest: String, size: Int64) {
    if let sizeHint, sizeHint >= pipelineThreshold {
      return try PipelinedHasher().run(read)
    }
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: ArchiveReader.blockSize, alignment: 16)
    defer { buffer.deallocate() }
    var hasher = SHA256()
    var total: Int64 = 0
    while true {
      let count = try read(buffer)
      if count == 0 { break }
      hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
      total += Int64(count)
    }
    return (hasher.finalizeHex(), total)
  }
}

/// A ring of blocks: the caller fills them in order, a worker thread hashes them in the same order.
///
/// `@unchecked Sendable` because the worker and the caller share the ring; every slot is owned by
/// exactly one side at a time, handed over through the semaphores (which order the memory
/// accesses), and the hasher is read only after both workers have returned.
private final class PipelinedHasher: @unchecked Sendable {
  private let slots = StreamDigest.slotCount
  private let storage: UnsafeMutableRawPointer
  private let lengths: UnsafeMutablePointer<Int>
  private let freeSlots: DispatchSemaphore
  private let filledSlots = DispatchSemaphore(value: 0)
  private var hasher = SHA256()

  init() {
    storage = UnsafeMutableRawPointer.allocate(
      byteCount: slots * ArchiveReader.blockSize, alignment: 16)
    lengths = UnsafeMutablePointer<Int>.allocate(capacity: slots)
    lengths.initialize(repeating: 0, count: slots)
    // Created at zero and raised, because libdispatch refuses to free a semaphore whose count is
    // below its initial value, which this one is when the last blocks were never handed back.
    freeSlots = DispatchSemaphore(value: 0)
    for _ in 0..<slots { freeSlots.signal() }
  }

  deinit {
    storage.deallocate()
    lengths.deallocate()
  }

  private func slot(_ index: Int) -> UnsafeMutableRawPointer {
    storage + (index % slots) * ArchiveReader.blockSize
  }

  func run<E: Error>(_ read: (UnsafeMutableRawBufferPointer) throws(E) -> Int) throws(E) -> (
    digest: String, size: Int64
  ) {
    var total: Int64 = 0
    var failure: E?
    // Worker 0 (this thread) reads blocks into the ring; worker 1 hashes them as they fill.
    BlockingWorkers.run(count: 2) { worker in
      guard worker == 0 else { return hashUntilEnd() }
      var index = 0
      while true {
        freeSlots.wait()
        let count: Int
        do throws(E) {
          count = try read(
            UnsafeMutableRawBufferPointer(start: slot(index), count: ArchiveReader.blockSize))
        } catch {
          failure = error
          count = 0
        }
        lengths[index % slots] = count
        filledSlots.signal()
        if count == 0 { break }
        total += Int64(count)
        index += 1
      }
    }
    if let failure { throw failure }
    return (hasher.finalizeHex(), total)
  }

  private func hashUntilEnd() {
    var index = 0
    while true {
      filledSlots.wait()
      let count = lengths[index % slots]
      if count == 0 { break }
      hasher.update(UnsafeRawBufferPointer(start: slot(index), count: count))
      freeSlots.signal()
      index += 1
    }
  }
}
