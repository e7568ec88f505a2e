/// ANSI colour, used only where someone reads it: an interactive terminal or a GitLab CI job log.
public struct TerminalStyle: Sendable {
  public let enabled: Bool

  public init(enabled: Bool) {
    self.enabled = enabled
  }

  /// Colour on a terminal or in GitLab CI, unless `NO_COLOR` is set (https://no-color.org).
  public init(environment: Environment, isTerminal: Bool) {
    enabled = environment["NO_COLOR"] == nil && (isTerminal || environment.isGitLabCI)
  }

  public func green(_ text: String) -> String { wrap(text, "32") }
  public func yellow(_ text: String) -> String { wrap(text, "33") }
  public func red(_ text: String) -> String { wrap(text, "31") }
  public func bold(_ text: String) -> String { wrap(text, "1") }
  public func dim(_ text: String) -> String { wrap(text, "2") }

  private func wrap(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
