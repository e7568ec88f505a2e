/// Everything a command needs from the outside world, passed in so tests can substitute it.
public struct Context: Sendable {
  public var environment: Environment
  public var sink: any OutputSink
  /// The directory relative paths are resolved against.
  public var currentDirectory: String

  public init(environment: Environment, sink: any OutputSink, currentDirectory: String) {
    self.environment = environment
    self.sink = sink
    self.currentDirectory = currentDirectory
  }
}
