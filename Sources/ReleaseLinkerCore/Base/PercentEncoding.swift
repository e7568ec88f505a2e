/// RFC 3986 percent-encoding for URL path segments.
public enum PercentEncoding {
  /// Encodes everything but the unreserved characters (`A-Z a-z 0-9 - . _ ~`), so the result is exactly
  /// one path segment: `/` becomes `%2F`, `+` `%2B`, space `%20`, and non-ASCII its UTF-8 bytes.
  public static func segment(_ value: String) -> String {
    encode(value, keepingSlash: false)
  }

  /// Encodes each `/`-separated segment of a path and keeps the `/` between them.
  public static func path(_ value: String) -> String {
    encode(value, keepingSlash: true)
  }

  private static func encode(_ value: String, keepingSlash: Bool) -> String {
    let slash = UInt8(ascii: "/")
    return encoding(value) { isUnreserved($0) || (keepingSlash && $0 == slash) }
  }

  /// `value` with every UTF-8 byte that `kept` refuses written as `%XX` (upper-case hex). One pass
  /// over the bytes; most values need no encoding at all and are returned as they are (this runs
  /// for every asset of a scan).
  public static func encoding(_ value: String, keeping kept: (UInt8) -> Bool) -> String {
    if value.utf8.allSatisfy(kept) { return value }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(value.utf8.count * 3)
    for byte in value.utf8 {
      if kept(byte) {
        bytes.append(byte)
      } else {
        bytes.append(UInt8(ascii: "%"))
        bytes.append(hexDigit(byte >> 4))
        bytes.append(hexDigit(byte & 0x0F))
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A path segment as Rails writes it into the URLs GitLab builds (`ActionDispatch::Journey::Router
  /// ::Utils.escape_segment`): RFC 3986 `pchar` is kept, so `+`, `@` or `:` stay as they are and
  /// `/` becomes `%2F`. Used to recognise a tag inside a URL GitLab returned.
  public static func railsSegment(_ value: String) -> String {
    let subDelimiters = Set("!$&'()*+,;=:@".utf8)
    return encoding(value) { isUnreserved($0) || subDelimiters.contains($0) }
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

  private static func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? nibble + 48 : nibble + 55
  }
}
