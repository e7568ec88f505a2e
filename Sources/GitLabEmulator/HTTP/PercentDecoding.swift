/// Percent-decoding of path segments and form fields, the way Rack reads them.
enum PercentDecoding {
  /// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is.
  static func decode(_ text: Substring, plusAsSpace: Bool = false) -> String {
    let bytes = Array(text.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
        let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
      {
        output.append(high << 4 | low)
        index += 3
      } else if plusAsSpace, byte == UInt8(ascii: "+") {
        output.append(0x20)
        index += 1
      } else {
        output.append(byte)
        index += 1
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  static func decode(_ text: String, plusAsSpace: Bool = false) -> String {
    decode(text[...], plusAsSpace: plusAsSpace)
  }

  /// Escapes everything but RFC 3986 unreserved characters, sub-delimiters, `:` and `@`, as Rails
  /// does for one path segment (so a `/` inside a tag becomes `%2F`).
  static func escapeSegment(_ text: String) -> String {
    escape(text, keeping: "-._~!$&'()*+,;=:@")
  }

  /// Escapes a query component as Ruby's `to_query` (`CGI.escape`) does: a space becomes `+`.
  static func escapeQueryComponent(_ text: String) -> String {
    escape(text, keeping: "-._~ ").split(separator: " ", omittingEmptySubsequences: false)
      .joined(separator: "+")
  }

  private static func escape(_ text: String, keeping extra: String) -> String {
    let kept = Set(extra.utf8)
    var output = ""
    for byte in text.utf8 {
      let isAlphanumeric =
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      if isAlphanumeric || kept.contains(byte) {
        output.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        output += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return output
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
