/// Removes credentials from traced requests and responses before anything is printed.
///
/// Header values of `JOB-TOKEN`, `PRIVATE-TOKEN` and `Authorization`, `job_token=`/`private_token=` query
/// values, the user information of URLs (`https://user:password@host`), and every literal
/// occurrence of a known secret are replaced by `[REDACTED]`.
public struct SecretRedactor: Sendable {
  public static let placeholder = "[REDACTED]"
  static let sensitiveHeaders: Set<String> = ["job-token", "private-token", "authorization"]
  static let sensitiveParameters = ["job_token=", "private_token=", "access_token="]

  private let secrets: [String]

  /// `secrets` are the literal values to hide wherever they appear (the token).
  public init(secrets: [String]) {
    // Redacting a very short value would mangle unrelated text and hide nothing worth hiding.
    self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
  }

  /// The header as it may be printed.
  public func header(_ header: HTTPHeader) -> HTTPHeader {
    if Self.sensitiveHeaders.contains(header.name.lowercased()) {
      return HTTPHeader(header.name, Self.placeholder)
    }
    return HTTPHeader(header.name, text(header.value))
  }

  /// The text with every known secret and every credential parameter value replaced.
  public func text(_ value: String) -> String {
    var result = value
    for secret in secrets {
      result = Self.replacingAll(secret, in: result)
    }
    for parameter in Self.sensitiveParameters {
      result = Self.redactingValues(after: parameter, in: result)
    }
    return Self.redactingUserInfo(in: result)
  }

  /// `text` with the user information of every URL in it (`scheme://user:password@host`) replaced
  /// by `[REDACTED]`, for messages that show a configured URL (an API root, a proxy).
  public static func redactingUserInfo(in text: String) -> String {
    guard text.contains("://"), text.contains("@") else { return text }
    var result = ""
    var rest = Substring(text)
    while let scheme = rest.firstRange(of: "://") {
      result += rest[..<scheme.upperBound]
      rest = rest[scheme.upperBound...]
      // The authority runs to the first character that ends it; user information is what comes
      // before its last '@'.
      let end =
        rest.firstIndex { "/?#\"' <>\n\r\t".contains($0) } ?? rest.endIndex
      if let at = rest[..<end].lastIndex(of: "@") {
        result += placeholder
        rest = rest[at...]
      }
    }
    return result + rest
  }

  private static func replacingAll(_ secret: String, in text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let range = rest.firstRange(of: secret) {
      result += rest[..<range.lowerBound]
      result += placeholder
      rest = rest[range.upperBound...]
    }
    result += rest
    return result
  }

  /// `job_token=abc&x=1` → `job_token=[REDACTED]&x=1`, case-insensitively on the name.
  private static func redactingValues(after parameter: String, in text: String) -> String {
    let lowered = text.lowercased()
    guard lowered.contains(parameter) else { return text }
    // Lowercasing ASCII keeps the UTF-8 offsets, so they can be mapped back onto the original.
    let original = Array(text.utf8)
    let lower = Array(lowered.utf8)
    guard original.count == lower.count else { return text }
    let needle = Array(parameter.utf8)
    var output: [UInt8] = []
    var index = 0
    while index < original.count {
      if index + needle.count <= lower.count, Array(lower[index..<index + needle.count]) == needle {
        output += original[index..<index + needle.count]
        index += needle.count
        var end = index
        while end < original.count, !isValueTerminator(original[end]) { end += 1 }
        if end > index { output += Array(placeholder.utf8) }
        index = end
      } else {
        output.append(original[index])
        index += 1
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  private static func isValueTerminator(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "&"), UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "'"),
      UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: ","),
      UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: ";"):
      true
    default:
      false
    }
  }
}
