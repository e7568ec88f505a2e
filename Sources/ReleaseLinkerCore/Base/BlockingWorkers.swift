#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The core's one way to run blocking work side by side: each worker gets a POSIX thread of its own.
///
/// libcurl and libarchive block, so their calls never run on Swift's concurrency pool (which a test's
/// in-process server may need). Dispatch's `concurrentPerform` never runs more iterations at once
/// than there are cores, so on a two-core runner `--concurrency 16` would keep only two requests in
/// flight; requests spend their time waiting for the network, not the CPU. Used for parallel writes
/// and for hashing beside reading.
enum BlockingWorkers {
  /// Calls `body(0) … body(count - 1)` at once, `body(0)` on the calling thread and each other on a
  /// thread of its own, and returns when all have returned.
  static func run(count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
      if count == 1 { body(0) }
      return
    }
    withoutActuallyEscaping(body) { body in
      var threads: [pthread_t] = []
      var inline: [Int] = []
      for index in 1..<count {
        let work = Unmanaged.passRetained(Work(body: body, index: index)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
          &thread, nil,
          { raw in
            guard let raw else { return nil }
            let work = Unmanaged<Work>.fromOpaque(raw).takeRetainedValue()
            work.body(work.index)
            return nil
          }, work)
        if status == 0 {
          threads.append(thread)
        } else {
          // No thread to be had (a resource limit): that share of the work runs here instead.
          Unmanaged<Work>.fromOpaque(work).release()
          inline.append(index)
        }
      }
      body(0)
      for index in inline { body(index) }
      for thread in threads { pthread_join(thread, nil) }
    }
  }

  private final class Work {
    let body: (Int) -> Void
    let index: Int

    init(body: @escaping (Int) -> Void, index: Int) {
      self.body = body
      self.index = index
    }
  }
}
