/// Removes credentials from traced requests and responses before anything is printed.
///
/// Header values of `JOB-TOKEN`, `PRIVATE-TOKEN` and `Authorization`, `job_token=`/`private_token=` query
/// values, the user information of URLs (`https://user:password@host`), and every occurrence of
/// a known secret, as it is or in the forms a server echoing it would use (percent-encoded,
/// base64), are replaced by `[REDACTED]`.
public struct SecretRedactor: Sendable {
  public static let placeholder = "[REDACTED]"
  static let sensitiveHeaders: Set<String> = ["job-token", "private-token", "authorization"]
  static let sensitiveParameters = ["job_token=", "private_token=", "access_token="]

  private let secrets: [String]

  /// `secrets` are the values to hide wherever they appear (the token).
  public init(secrets: [String]) {
    // Redacting a very short value would mangle unrelated text and hide nothing worth hiding.
    let forms = secrets.filter { $0.count >= 4 }.flatMap(Self.forms(of:))
    self.secrets = Array(Set(forms)).filter { $0.count >= 4 }.sorted { $0.count > $1.count }
  }

  /// True when `text` holds a known secret in any of its forms.
  public func reveals(_ text: String) -> Bool {
    secrets.contains { text.contains($0) }
  }

  /// The secret, and what a server that echoes a request back makes of it: percent-encoded (in a
  /// `Location`'s query; upper- and lower-case hex), and base64 (standard and URL alphabets) at
  /// each of the three offsets it may have inside a longer encoded text such as a whole
  /// `JOB-TOKEN: …` line: the characters that depend on the secret's bytes alone.
  static func forms(of secret: String) -> [String] {
    var forms = [secret]
    let encoded = PercentEncoding.segment(secret)
    forms += [encoded, lowercasingHex(encoded)]
    let bytes = Array(secret.utf8)
    for offset in 0..<3 {
      let encoded = Array(base64(Array(repeating: 0, count: offset) + bytes).utf8)
      // The characters before `skip` carry bits of the padding bytes, those from `whole` on bits
      // of whatever follows the secret.
      let skip = [0, 2, 3][offset]
      let whole = (offset + bytes.count) / 3 * 4
      guard whole > skip else { continue }
      let core = String(decoding: encoded[skip..<whole], as: UTF8.self)
      forms.append(core)
      forms.append(
        String(
          decoding: core.utf8.map {
            $0 == UInt8(ascii: "+") ? 45 : $0 == UInt8(ascii: "/") ? 95 : $0
          },
          as: UTF8.self))
    }
    return forms
  }

  private static func lowercasingHex(_ encoded: String) -> String {
    var bytes = Array(encoded.utf8)
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count {
        for hex in index + 1...index + 2 where (65...70).contains(bytes[hex]) { bytes[hex] += 32 }
        index += 3
      } else {
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// RFC 4648 base64 with `=` padding.
  static func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var output: [UInt8] = []
    var index = 0
    while index < bytes.count {
      let chunk = bytes[index..<min(index + 3, bytes.count)]
      var value = 0
      for (position, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * position) }
      for position in 0..<4 {
        output.append(
          position <= chunk.count
            ? alphabet[(value >> (18 - 6 * position)) & 63] : UInt8(ascii: "="))
      }
      index += 3
    }
    return String(decoding: output, as: UTF8.self)
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

  /// The response with every known secret removed from its body and header values. A server, or a
  /// proxy in front of it, may echo a request's headers back (`bad header JOB-TOKEN: …`); nothing
  /// built from its answer may show them. The body keeps its shape (a JSON string stays a string).
  public func removingSecrets(from response: HTTPResponse) -> HTTPResponse {
    guard !secrets.isEmpty else { return response }
    var cleaned = response
    cleaned.body = bytes(response.body)
    cleaned.headers = response.headers.map { header in
      var value = header.value
      for secret in secrets { value = Self.replacingAll(secret, in: value) }
      return HTTPHeader(header.name, value)
    }
    return cleaned
  }

  /// `bytes` with every literal occurrence of a known secret replaced by the placeholder.
  public func bytes(_ bytes: [UInt8]) -> [UInt8] {
    var result = bytes
    for secret in secrets {
      let needle = Array(secret.utf8)
      guard let first = needle.first, result.count >= needle.count else { continue }
      var output: [UInt8] = []
      var index = 0
      var found = false
      while index < result.count {
        if result[index] == first, index + needle.count <= result.count,
          result[index..<index + needle.count].elementsEqual(needle)
        {
          if !found {
            output.reserveCapacity(result.count)
            output += result[0..<index]
            found = true
          }
          output += Self.placeholder.utf8
          index += needle.count
        } else {
          if found { output.append(result[index]) }
          index += 1
        }
      }
      if found { result = output }
    }
    return result
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
