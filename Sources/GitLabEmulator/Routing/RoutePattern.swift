/// A path pattern such as `/api/v4/projects/:id/releases/:tag_name`. Matching works on the raw
/// path, one segment per `:name`, so an unencoded `/` inside a project path or tag matches nothing;
/// `*name` takes one or more whole segments (a project's full path in web URLs, a file path inside
/// an archive). Captured segments are percent-decoded one by one.
struct RoutePattern: Sendable, CustomStringConvertible {
  enum Token: Sendable, Equatable {
    case literal(String)
    case parameter(String)
    case segments(String)
  }

  let tokens: [Token]
  let description: String

  init(_ pattern: String) {
    description = pattern
    tokens = pattern.split(separator: "/").map { part in
      if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
      if part.hasPrefix("*") { return .segments(String(part.dropFirst())) }
      return .literal(String(part))
    }
  }

  /// The captured parameters when the raw path matches, else `nil`.
  func match(rawPath: String) -> PathParameters? {
    let raw = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
    // An empty segment (`//`, a trailing `/`) never names a parameter.
    guard rawPath.hasPrefix("/"), !raw.contains(where: \.isEmpty) else { return nil }
    var captured = PathParameters()
    guard match(tokens[...], Array(raw)[...], into: &captured) else { return nil }
    return captured
  }

  private func match(
    _ tokens: ArraySlice<Token>, _ segments: ArraySlice<Substring>,
    into captured: inout PathParameters
  ) -> Bool {
    guard let token = tokens.first else { return segments.isEmpty }
    guard let segment = segments.first else { return false }
    let rest = tokens.dropFirst()
    switch token {
    case .literal(let text):
      return segment == text && match(rest, segments.dropFirst(), into: &captured)
    case .parameter(let name):
      captured.values.append((name, [PercentDecoding.decode(segment)]))
      if match(rest, segments.dropFirst(), into: &captured) { return true }
      captured.values.removeLast()
      return false
    case .segments(let name):
      // Shortest first, so a following literal (`-` in web URLs) ends the run; `-` never belongs
      // to a run, as GitLab reserves it for the routes after a project's path.
      for count in 1...segments.count {
        let taken = segments.prefix(count)
        if taken.last == "-" { return false }
        captured.values.append((name, taken.map { PercentDecoding.decode($0) }))
        if match(rest, segments.dropFirst(count), into: &captured) { return true }
        captured.values.removeLast()
      }
      return false
    }
  }
}

/// The values a route's pattern captured, decoded segment by segment.
struct PathParameters: Sendable {
  fileprivate(set) var values: [(String, [String])] = []

  /// The parameter's value; a multi-segment one joined with `/`. Empty when the pattern has no
  /// such parameter.
  subscript(name: String) -> String {
    segments(name).joined(separator: "/")
  }

  /// The decoded segments of a `*name` parameter (one for a `:name` parameter).
  func segments(_ name: String) -> [String] {
    values.first { $0.0 == name }?.1 ?? []
  }
}
