/// A template such as `{project_url}/-/jobs/{job_id}/artifacts/raw/{path}`, with the placeholders
/// of docs/scanning.md. Parsed once, so an unknown placeholder is a usage error before anything is scanned.
public struct LinkTemplate: Sendable, Equatable, CustomStringConvertible {
  /// The placeholders a template may use.
  public enum Placeholder: String, Sendable, CaseIterable {
    case projectURL = "project_url"
    case jobID = "job_id"
    case jobName = "job_name"
    case ref
    case tag
    case path
    case basename
    case stem
    case ext
  }

  enum Part: Sendable, Equatable {
    case text(String)
    case placeholder(Placeholder)
  }

  public let description: String
  let parts: [Part]

  /// Parses `template`. `{name}` is a placeholder; `{{` and `}}` stand for literal braces.
  /// - Parameter option: the flag the template came from, named in errors.
  public init(_ template: String, option: String) throws(UsageError) {
    description = template
    var parts: [Part] = []
    var text = ""
    var characters = template[...]
    while let character = characters.popFirst() {
      if character == "{" {
        if characters.first == "{" {
          characters.removeFirst()
          text.append("{")
          continue
        }
        guard let close = characters.firstIndex(of: "}") else {
          throw UsageError(
            "The template '\(template)' given with \(option) has a '{' without its closing '}'; write '{{' for a literal brace."
          )
        }
        let name = String(characters[..<close])
        guard let placeholder = Placeholder(rawValue: name) else {
          let known = Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: " ")
          throw UsageError(
            "The template '\(template)' given with \(option) uses the unknown placeholder '{\(name)}'; the placeholders are \(known)."
          )
        }
        if !text.isEmpty {
          parts.append(.text(text))
          text = ""
        }
        parts.append(.placeholder(placeholder))
        characters = characters[characters.index(after: close)...]
      } else if character == "}" {
        if characters.first == "}" { characters.removeFirst() }
        text.append("}")
      } else {
        text.append(character)
      }
    }
    if !text.isEmpty { parts.append(.text(text)) }
    self.parts = parts
  }

  /// The placeholders this template uses, so only the settings it needs are asked for.
  public var placeholders: Set<Placeholder> {
    var result = Set<Placeholder>()
    for case .placeholder(let placeholder) in parts { result.insert(placeholder) }
    return result
  }

  /// The text with every placeholder replaced by `value(placeholder)`.
  public func render(_ value: (Placeholder) -> String) -> String {
    var result = ""
    for part in parts {
      switch part {
      case .text(let text): result += text
      case .placeholder(let placeholder): result += value(placeholder)
      }
    }
    return result
  }
}
