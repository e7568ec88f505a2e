// Why `scripts/sanitize.sh tsan` reports races inside `Mutex.withLock` (Benchmarks/results/sanitizers.md):
// two threads add to one `Synchronization.Mutex` 200,000 times each. The total is always 400000,
// and yet ThreadSanitizer reports a "Swift access race" on the value: on Linux a contended Mutex
// waits and wakes in the kernel (futex), which ThreadSanitizer does not see as a lock, so it
// misses the happens-before between one holder and the next.
//   swiftc -sanitize=thread -g scripts/sanitizers/mutex-under-tsan.swift -o /tmp/mutex-under-tsan
//   /tmp/mutex-under-tsan
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

final class Counter: Sendable { let value = Mutex(0) }
let counter = Counter()
var threads: [pthread_t] = []
for _ in 0..<2 {
  var thread = pthread_t()
  pthread_create(
    &thread, nil,
    { _ in
      for _ in 0..<200_000 { counter.value.withLock { $0 += 1 } }
      return nil
    }, nil)
  threads.append(thread)
}
for thread in threads { pthread_join(thread, nil) }
print(counter.value.withLock { $0 })
