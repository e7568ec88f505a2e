/// GitLab's rules for the name, version and file name of a generic package, checked before any
/// request so that a run never stops halfway on a `400`.
///
/// From GitLab's source: `lib/api/generic_packages.rb` validates `package_name` with
/// `Gitlab::Regex.generic_package_name_regex`, `package_version` with
/// `generic_package_version_regex` and `file_name` with `generic_package_file_name_regex`, and runs
/// the `file_path` validator on the name and the file name; `app/models/packages/generic/package.rb`
/// validates the stored name and version with the same expressions (`lib/gitlab/regex/packages.rb`):
///
/// - name: `maven_file_name_regex`, `\A[A-Za-z0-9\.\_\-\+]+\z`;
/// - version: `maven_version_regex`, `\A(?!.*\.\.)[\w+.-]+\z` (Ruby's `\w` is `[A-Za-z0-9_]`; no `..`);
/// - file name: `\A(?!~)[A-Za-z0-9\.\_\-\+~]+(?<!~)\z` (no `~` first or last);
/// - `file_path` (`Gitlab::PathTraversal.check_path_traversal!`): not `.` or `..`.
public enum GenericPackageRules {
  /// Whether GitLab accepts `name` as a generic package name.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && !isTraversal(name) && name.utf8.allSatisfy(isNameByte)
  }

  /// Whether GitLab accepts `version` as a generic package version.
  public static func isValidVersion(_ version: String) -> Bool {
    !version.isEmpty && !version.contains("..")
      && version.utf8.allSatisfy(isNameByte)
  }

  /// Whether GitLab accepts `fileName` as a generic package file name.
  public static func isValidFileName(_ fileName: String) -> Bool {
    !fileName.isEmpty && !isTraversal(fileName) && !fileName.hasPrefix("~")
      && !fileName.hasSuffix("~") && fileName.utf8.allSatisfy(isFileNameByte)
  }

  /// `text` made a valid package name: each character outside the set becomes `-`. Nil when no
  /// valid name comes of it (empty, `.` or `..`).
  public static func makeName(_ text: String) -> String? {
    let made = rewrite(text, allowing: isNameByte)
    return isValidName(made) ? made : nil
  }

  /// `text` made a valid version: each character outside the set becomes `-`, and a run of dots
  /// becomes one (`1..2` → `1.2`). Nil when nothing is left.
  public static func makeVersion(_ text: String) -> String? {
    var made: [UInt8] = []
    // `[\w+.-]` is the name's set: letters, digits, `_`, `+`, `.` and `-`.
    for byte in rewrite(text, allowing: isNameByte).utf8 {
      if byte == UInt8(ascii: "."), made.last == UInt8(ascii: ".") { continue }
      made.append(byte)
    }
    let version = String(decoding: made, as: UTF8.self)
    return isValidVersion(version) ? version : nil
  }

  /// `text` made a valid file name: each character outside the set, and a `~` that starts or ends
  /// it, becomes `-` (`my app~` → `my-app-`). Nil for `.` and `..`, which GitLab refuses as paths.
  public static func makeFileName(_ text: String) -> String? {
    var made = Array(rewrite(text, allowing: isFileNameByte).utf8)
    if made.first == UInt8(ascii: "~") { made[0] = UInt8(ascii: "-") }
    if made.last == UInt8(ascii: "~") { made[made.count - 1] = UInt8(ascii: "-") }
    let fileName = String(decoding: made, as: UTF8.self)
    return isValidFileName(fileName) ? fileName : nil
  }

  private static func rewrite(_ text: String, allowing allowed: (UInt8) -> Bool) -> String {
    var bytes: [UInt8] = []
    for scalar in text.unicodeScalars {
      let isKept = scalar.isASCII && allowed(UInt8(scalar.value))
      bytes.append(isKept ? UInt8(scalar.value) : UInt8(ascii: "-"))
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func isTraversal(_ text: String) -> Bool { text == "." || text == ".." }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "+")
  }

  private static func isFileNameByte(_ byte: UInt8) -> Bool {
    isNameByte(byte) || byte == UInt8(ascii: "~")
  }
}
