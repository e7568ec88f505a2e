/// Where a resolved setting came from, so `doctor` and error messages can say it.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
  case flag(String)
  case environment(String)
  case file(String)
  case defaultValue

  public var description: String {
    switch self {
    case .flag(let name): "flag \(name)"
    case .environment(let name): "variable \(name)"
    case .file(let path): "file \(path)"
    case .defaultValue: "default"
    }
  }
}

/// A configuration value together with its source.
public struct Setting<Value: Sendable>: Sendable {
  public let value: Value
  public let source: SettingSource

  public init(_ value: Value, from source: SettingSource) {
    self.value = value
    self.source = source
  }
}

extension Setting: Equatable where Value: Equatable {}
