/// RFC 3986 percent-encoding for URL path segments.
public enum PercentEncoding {
  /// Encodes everything but the unreserved characters (`A-Z a-z 0-9 - . _ ~`), so the result is exactly
  /// one path segment: `/` becomes `%2F`, `+` `%2B`, space `%20`, and non-ASCII its UTF-8 bytes.
  public static func segment(_ value: String) -> String {
    var result = ""
    result.reserveCapacity(value.utf8.count)
    for byte in value.utf8 {
      if isUnreserved(byte) {
        result.unicodeScalars.append(UnicodeScalar(byte))
      } else {
        result += "%"
        result += hexDigit(byte >> 4)
        result += hexDigit(byte & 0x0F)
      }
    }
    return result
  }

  /// Encodes each `/`-separated segment of a path and keeps the `/` between them.
  public static func path(_ value: String) -> String {
    value.split(separator: "/", omittingEmptySubsequences: false)
      .map { segment(String($0)) }
      .joined(separator: "/")
  }

  /// Encodes a value for `application/x-www-form-urlencoded` bodies and query strings.
  public static func formValue(_ value: String) -> String {
    segment(value)
  }

  static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
      UInt8(ascii: "_"), UInt8(ascii: "~"):
      true
    default:
      false
    }
  }

  private static func hexDigit(_ nibble: UInt8) -> String {
    String(UnicodeScalar(nibble < 10 ? nibble + 48 : nibble + 55))
  }
}
