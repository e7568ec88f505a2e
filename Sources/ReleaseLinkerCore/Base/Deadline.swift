#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Seconds on a clock that only moves forward (not the wall clock, which an NTP step may move).
public enum MonotonicClock {
  public static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
  }
}

/// The moment a whole run must be over (`--deadline`): no request starts after it, and none runs
/// past it.
public struct Deadline: Sendable, Equatable {
  /// The `--deadline` in seconds, for messages.
  public let seconds: Double
  /// The end, on ``MonotonicClock``.
  public let end: Double

  /// A deadline `seconds` after `start` (a ``MonotonicClock`` reading, by default now).
  public init(seconds: Double, from start: Double = MonotonicClock.now()) {
    self.seconds = seconds
    self.end = start + seconds
  }

  /// Seconds left, never negative.
  public var remaining: Double { max(0, end - MonotonicClock.now()) }

  public var hasPassed: Bool { MonotonicClock.now() >= end }

  /// `12` or `0.5`, as the user wrote it.
  public var shown: String {
    seconds == seconds.rounded() && seconds < 1e15 ? String(Int(seconds)) : String(seconds)
  }
}

/// The run's `--deadline` passed (exit 69): what was left was not sent.
public struct DeadlinePassedError: ReleaseLinkerError, WriteFailureClassifying, RunStoppingError,
  Equatable
{
  public var deadline: Deadline
  /// When it passed, e.g. "before POST /projects/20/…" or "during GET …".
  public var context: String
  /// True when a write was under way as it passed: GitLab may have carried it out.
  public var writeMayHaveLanded: Bool

  public init(deadline: Deadline, context: String, writeMayHaveLanded: Bool = false) {
    self.deadline = deadline
    self.context = context
    self.writeMayHaveLanded = writeMayHaveLanded
  }

  public var exitStatus: ExitStatus { .unavailable }
  public var writeFailureKind: WriteFailureKind { writeMayHaveLanded ? .ambiguous : .unavailable }
  public var message: String {
    "The run's --deadline of \(deadline.shown) s passed \(context); nothing more was sent."
      + (writeMayHaveLanded ? " GitLab may have carried out that write." : "")
      + " Re-run the job (a re-run sends only what is missing), or raise --deadline."
  }
}
