/// The release `--create-release` creates when it is missing.
public struct ReleaseDraft: Sendable, Equatable {
  public var tag: String
  public var name: String
  public var description: String

  public init(tag: String, name: String, description: String) {
    self.tag = tag
    self.name = name
    self.description = description
  }
}
