/// The link model's validations, producing Rails' full messages in GitLab's order (url, name,
/// filepath).
enum LinkValidation {
  static let linkTypes = ["other", "runbook", "image", "package"]
  static let allowedSchemes = ["http", "https", "ftp"]

  /// Ruby's `String#strip`: surrounding whitespace and NUL.
  static func strip(_ text: String) -> String {
    let stripped: Set<Unicode.Scalar> = [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\0"]
    var scalars = Substring(text).unicodeScalars[...]
    while let first = scalars.first, stripped.contains(first) { scalars = scalars.dropFirst() }
    while let last = scalars.last, stripped.contains(last) { scalars = scalars.dropLast() }
    return String(String.UnicodeScalarView(scalars))
  }

  /// Rails' `blank?` for strings: empty or whitespace only.
  static func isBlank(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
  }

  /// The scheme as Addressable reads it: letters, digits, `+`, `-`, `.` before the first `:`.
  static func scheme(of url: String) -> String? {
    guard let colon = url.firstIndex(of: ":") else { return nil }
    let candidate = url[..<colon].unicodeScalars
    guard let first = candidate.first, first.isASCIILetter,
      candidate.allSatisfy({
        $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == "."
      })
    else { return nil }
    return String(url[..<colon]).lowercased()
  }

  /// Validates a link about to be saved in a release; `existing` are the release's links, the link
  /// itself excluded. The url must already be stripped.
  static func errors(
    name: String, url: String, filepath: String?, existing: [EmulatedLink],
    checkScheme: Bool = true
  ) -> [String] {
    var messages: [String] = []
    if isBlank(url) {
      messages.append("Url can't be blank")
    } else if checkScheme, !(scheme(of: url).map(allowedSchemes.contains) ?? false) {
      messages.append("Url is blocked: Only allowed schemes are http, https, ftp")
    }
    if existing.contains(where: { $0.url == url }) {
      messages.append("Url has already been taken")
    }
    if isBlank(name) {
      messages.append("Name can't be blank")
    }
    if existing.contains(where: { $0.name == name }) {
      messages.append("Name has already been taken")
    }
    if let filepath {
      if !filepath.isEmpty, existing.contains(where: { $0.directAssetPath == filepath }) {
        messages.append("Filepath has already been taken")
      }
      if filepath.unicodeScalars.count > FilepathFormat.maximumLength {
        messages.append(
          "Filepath is too long (maximum is \(FilepathFormat.maximumLength) characters)")
      }
      if !FilepathFormat.isValid(filepath) {
        messages.append("Filepath is in an invalid format")
      }
    }
    return messages
  }
}

extension Unicode.Scalar {
  fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
