/// The kind of a release link, as GitLab knows it.
public enum LinkType: String, Sendable, Codable, CaseIterable {
  case other
  case runbook
  case image
  case package
}
