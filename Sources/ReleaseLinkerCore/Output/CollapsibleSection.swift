/// GitLab CI's collapsible job-log sections: everything between the start and end markers folds under
/// the header line in the job log.
public struct CollapsibleSection: Sendable {
  public let name: String
  public let header: String
  public let collapsed: Bool

  public init(name: String, header: String, collapsed: Bool = false) {
    self.name = name
    self.header = header
    self.collapsed = collapsed
  }

  /// The start marker line; `time` is seconds since 1970 (GitLab shows the section's duration).
  public func start(at time: Int) -> String {
    let options = collapsed ? "[collapsed=true]" : ""
    return "\u{1B}[0Ksection_start:\(time):\(name)\(options)\r\u{1B}[0K\(header)\n"
  }

  /// The end marker line.
  public func end(at time: Int) -> String {
    "\u{1B}[0Ksection_end:\(time):\(name)\r\u{1B}[0K\n"
  }
}
