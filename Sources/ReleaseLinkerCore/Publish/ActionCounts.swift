/// How many links each action touched, and how many failed.
public struct ActionCounts: Sendable, Equatable, Codable {
  public var create = 0
  public var update = 0
  public var unchanged = 0
  public var delete = 0
  public var failed = 0

  public init(
    create: Int = 0, update: Int = 0, unchanged: Int = 0, delete: Int = 0, failed: Int = 0
  ) {
    self.create = create
    self.update = update
    self.unchanged = unchanged
    self.delete = delete
    self.failed = failed
  }
}
