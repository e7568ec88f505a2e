/// Makes a `direct_asset_path` GitLab accepts from any text.
///
/// GitLab's rule (`\A/[^/](?!.*//.*)[\-\.\w/]+[\da-zA-Z]+\z`, at most 128 characters) refuses spaces,
/// `+`, non-ASCII letters, a trailing `-` and long paths. A path that already satisfies it is kept
/// as is. Any other path is rewritten: each character outside `[A-Za-z0-9._-/]` becomes `-` and
/// repeated slashes become one (`/a b.txt` → `/a-b.txt`), as the user contract says. When two
/// assets of one run rewrite alike (`a b.txt`, `a+b.txt`), those rewritten paths take a short hash of
/// their original text (``LinkDeriver/deriveAll(_:)``), so no two assets share a path while every
/// other path stays as plain as the contract says. Only when that rewrite is still refused (shorter than 4 characters, a last character
/// that is not a letter or digit, longer than 128) is a short hash of the original text inserted
/// before the file extension; a long path then loses its beginning, keeping the hash and the end
/// of the path (the file name).
public enum DirectAssetPath {
  public static let maximumLength = 128
  public static let minimumLength = 4

  /// True when GitLab accepts `path` (with the stricter reading that the second character is also
  /// from the allowed set).
  public static func isValid(_ path: String) -> Bool {
    let bytes = Array(path.utf8)
    guard bytes.count >= minimumLength, bytes.count <= maximumLength, bytes[0] == UInt8(ascii: "/")
    else { return false }
    var previous: UInt8 = 0
    for byte in bytes {
      guard isAllowed(byte) else { return false }
      if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") { return false }
      previous = byte
    }
    return isAlphanumeric(bytes[bytes.count - 1])
  }

  /// Which of GitLab's rules `path` breaks, as a clause ("it contains ' '"), or nil when it is valid.
  public static func problem(with path: String) -> String? {
    let bytes = Array(path.utf8)
    if bytes.isEmpty { return "it is empty" }
    if bytes[0] != UInt8(ascii: "/") { return "it must start with '/'" }
    if let bad = path.unicodeScalars.first(where: { !$0.isASCII || !isAllowed(UInt8($0.value)) }) {
      return "it contains '\(bad.escaped(asASCII: false))', but only ASCII letters, digits, '.', "
        + "'_', '-' and '/' are allowed"
    }
    if path.contains("//") { return "it contains '//'" }
    if bytes.count < minimumLength {
      return "it is shorter than \(minimumLength) characters"
    }
    if bytes.count > maximumLength {
      return "it is \(bytes.count) characters long, and at most \(maximumLength) are allowed"
    }
    if !isAlphanumeric(bytes[bytes.count - 1]) {
      return "its last character '\(Character(Unicode.Scalar(bytes[bytes.count - 1])))' is not a "
        + "letter or digit"
    }
    return nil
  }

  /// `text` itself when valid, else its deterministic rewrite (see the type's description). With
  /// `disambiguating`, a rewritten path always carries the hash of its original text: for paths that
  /// rewrite alike within one run (`a b.txt` and `a+b.txt`), so that no two assets share a path.
  public static func make(_ text: String, disambiguating: Bool = false) -> String {
    let withSlash = text.hasPrefix("/") ? text : "/" + text
    if isValid(withSlash) { return withSlash }

    var sanitized: [UInt8] = []
    for scalar in withSlash.unicodeScalars {
      let byte: UInt8 =
        scalar.isASCII && isAllowed(UInt8(scalar.value)) ? UInt8(scalar.value) : UInt8(ascii: "-")
      if byte == UInt8(ascii: "/") && sanitized.last == UInt8(ascii: "/") { continue }
      sanitized.append(byte)
    }
    let rewritten = String(decoding: sanitized, as: UTF8.self)
    if isValid(rewritten) && !disambiguating { return rewritten }
    // Split off a file extension that can end the path, so the download keeps its type.
    var extensionBytes: [UInt8] = []
    if let dot = sanitized.lastIndex(of: UInt8(ascii: ".")),
      let slash = sanitized.lastIndex(of: UInt8(ascii: "/")), dot > slash + 1
    {
      let candidate = sanitized[(dot + 1)...]
      if (1...10).contains(candidate.count), candidate.allSatisfy(isAlphanumeric) {
        extensionBytes = Array(sanitized[dot...])
        sanitized.removeSubrange(dot...)
      }
    }
    let suffix = Array("-\(shortHash(text))".utf8) + extensionBytes
    let budget = maximumLength - suffix.count
    var body = sanitized
    if body.count > budget {
      // Keep the end; restart with a single slash so no `//` appears.
      var tail = Array(body.suffix(budget - 1))
      while tail.first == UInt8(ascii: "/") { tail.removeFirst() }
      body = [UInt8(ascii: "/")] + tail
    }
    return String(decoding: body + suffix, as: UTF8.self)
  }

  /// The first eight hex digits of the SHA-256 of `text`.
  static func shortHash(_ text: String) -> String {
    String(SHA256.hexDigest(text.utf8).prefix(8))
  }

  private static func isAllowed(_ byte: UInt8) -> Bool {
    isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
      || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }
}
