/// What `release-linker doctor` found: every resolved setting with its source, then each check.
///
/// A plain value: ``DoctorJob`` fills it in, ``render()`` formats it.
public struct DoctorReport: Sendable, Equatable {
  /// One line of the settings part.
  public enum SettingLine: Sendable, Equatable {
    /// A resolved value and where it came from.
    case value(label: String, value: String, source: SettingSource)
    /// A required setting that could not be resolved, with the reason.
    case missing(label: String, reason: String)
    /// An optional setting that is not set, with the commands that need it.
    case unset(label: String, neededBy: String)
  }

  /// The outcome of one check.
  public enum CheckResult: String, Sendable, Equatable {
    case pass, fail, skip
  }

  public var settings: [SettingLine] = []
  public var checks: [(result: CheckResult, sentence: String)] = []

  public init() {}

  public static func == (lhs: DoctorReport, rhs: DoctorReport) -> Bool {
    lhs.settings == rhs.settings
      && lhs.checks.map(\.result) == rhs.checks.map(\.result)
      && lhs.checks.map(\.sentence) == rhs.checks.map(\.sentence)
  }

  /// The report as `doctor` prints it.
  public func render() -> String {
    var lines = ["Settings:"]
    for setting in settings {
      switch setting {
      case .value(let label, let value, let source):
        lines.append("  " + Self.padded(label) + value + "  (\(source))")
      case .missing(let label, let reason):
        lines.append("  " + Self.padded(label) + "not set: " + reason)
      case .unset(let label, let users):
        lines.append("  " + Self.padded(label) + "not set (needed by \(users))")
      }
    }
    lines.append("")
    lines.append("Checks:")
    for check in checks {
      lines.append("  [\(check.result.rawValue)] \(check.sentence)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func padded(_ label: String) -> String {
    label + String(repeating: " ", count: max(1, 14 - label.count))
  }
}
