/// Everything a command needs from the outside world, passed in so tests can substitute it.
public struct Context: Sendable {
  public var environment: Environment
  public var sink: any OutputSink
  /// The directory relative paths are resolved against.
  public var currentDirectory: String
  /// When the run started, on ``MonotonicClock``: `--deadline` counts from here.
  public var startedAt: Double

  public init(
    environment: Environment, sink: any OutputSink, currentDirectory: String,
    startedAt: Double = MonotonicClock.now()
  ) {
    self.environment = environment
    self.sink = sink
    self.currentDirectory = currentDirectory
    self.startedAt = startedAt
  }

  /// The run's `--deadline`, counted from its start, or nil without one.
  public func deadline(_ configuration: Configuration) throws -> Deadline? {
    try configuration.deadline().map { Deadline(seconds: $0.value, from: startedAt) }
  }
}
