extension Context {
  /// The context with its standard error escaping each line written there, for code below Output
  /// that names files and entries from outside (the scanner's warnings).
  var escapingWarnings: Context {
    var context = self
    context.sink = EscapingWarningsSink(sink)
    return context
  }

  /// A connection to GitLab whose `--verbose` trace escapes what the server sent.
  public func connection(_ configuration: Configuration) throws -> GitLabConnection {
    try GitLabConnection.make(
      configuration: configuration, context: self, display: TerminalText.escapedKeepingLineBreaks)
  }

  /// A connection that sends no token (`verify --anonymous`), its trace escaped the same way.
  public func anonymousConnection(_ configuration: Configuration) throws -> GitLabConnection {
    try GitLabConnection.anonymous(
      configuration: configuration, context: self, display: TerminalText.escapedKeepingLineBreaks)
  }
}
