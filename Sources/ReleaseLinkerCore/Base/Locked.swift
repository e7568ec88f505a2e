#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value that threads share, guarded by a POSIX mutex: `withLock` is the only way to it.
///
/// Used instead of the standard library's `Mutex`, whose Linux implementation waits on a futex
/// that ThreadSanitizer does not see as a lock: every contended `Mutex` is reported as a data race
/// (`scripts/sanitizers/mutex-under-tsan.swift` shows it), which would hide real ones. With this
/// lock `make sanitize`'s ThreadSanitizer run reports only what it should.
public final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  public init(_ value: Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with the value while holding the lock.
  public func withLock<Result, Failure: Error>(
    _ body: (inout Value) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
