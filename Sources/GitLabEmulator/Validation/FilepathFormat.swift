/// GitLab's `Releases::Link::FILEPATH_REGEX`, `\A/[^/](?!.*//.*)[\-\.\w/]+[\da-zA-Z]+\z`, checked by
/// hand (Ruby's `\w` is ASCII `[A-Za-z0-9_]`; lengths count characters as Ruby does).
enum FilepathFormat {
  static let maximumLength = 128

  static func isValid(_ path: String) -> Bool {
    let characters = Array(path.unicodeScalars)
    // `/`, one character that is not `/`, then at least two more.
    guard characters.count >= 4, characters[0] == "/", characters[1] != "/" else { return false }
    let tail = characters[2...]
    guard tail.allSatisfy(isPathCharacter), let last = tail.last, isAlphanumeric(last) else {
      return false
    }
    // No `//` after the start (the lookahead); the first two characters cannot form one.
    return !zip(tail, tail.dropFirst()).contains { $0 == "/" && $1 == "/" }
  }

  private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
  }

  private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
    isAlphanumeric(scalar) || scalar == "_" || scalar == "-" || scalar == "." || scalar == "/"
  }
}
