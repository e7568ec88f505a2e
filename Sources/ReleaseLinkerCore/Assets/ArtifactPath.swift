/// Turns an untrusted entry name into an artifact path, or says why the entry is not an asset.
///
/// Archive entries come from anywhere: a name may be absolute, climb out with `..`, be empty or not
/// be UTF-8. Nothing is extracted, but such a name must never become a link either.
public enum ArtifactPath {
  /// Why an entry name was refused.
  public enum Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case absolute
    case escapes

    public var description: String {
      switch self {
      case .empty: "its name is empty"
      case .absolute: "its path is absolute"
      case .escapes: "its path contains '..'"
      }
    }
  }

  /// The normalised `/`-separated path: `.` segments and repeated or trailing slashes dropped.
  /// Names starting with `/` (or a drive letter such as `C:`) are absolute; any `..` segment is an
  /// escape, even one that would stay inside the tree, because GitLab would not serve such a path.
  public static func normalise(_ name: String) -> Result<String, Rejection> {
    if name.isEmpty { return .failure(.empty) }
    if name.hasPrefix("/") || isDriveLetterPath(name) { return .failure(.absolute) }
    var segments: [Substring] = []
    for segment in name.split(separator: "/", omittingEmptySubsequences: true) {
      if segment == "." { continue }
      if segment == ".." { return .failure(.escapes) }
      segments.append(segment)
    }
    if segments.isEmpty { return .failure(.empty) }
    return .success(segments.joined(separator: "/"))
  }

  private static func isDriveLetterPath(_ name: String) -> Bool {
    let scalars = Array(name.unicodeScalars.prefix(2))
    guard scalars.count == 2, scalars[1] == ":" else { return false }
    return scalars[0].isASCII && scalars[0].properties.isAlphabetic
  }
}
