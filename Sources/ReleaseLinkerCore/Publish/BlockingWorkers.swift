#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs a body on dedicated threads, each of which may block in a request.
///
/// Dispatch's `concurrentPerform` never runs more iterations at once than there are cores, so on a
/// two-core runner `--concurrency 16` would keep only two requests in flight. Requests spend their
/// time waiting for the network, not the CPU: each worker gets a thread of its own.
enum BlockingWorkers {
  /// Calls `body(0) … body(count - 1)` on `count` threads at once and returns when all have returned.
  static func run(count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
      if count == 1 { body(0) }
      return
    }
    withoutActuallyEscaping(body) { body in
      var threads: [pthread_t] = []
      var inline: [Int] = []
      for index in 0..<count {
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
