/// A shell-style pattern matched against a whole artifact path.
///
/// `*` matches any run of characters within one segment, `?` one character other than `/`, `**`
/// any run including `/` (and `**/` zero or more whole directories, so `**/*.deb` also matches
/// `a.deb`), `[a-z]` a class, `[!x]` or `[^x]` a negated class, `\x` the character `x` itself.
/// A pattern without `/` is still matched against the whole path: `*.deb` matches `a.deb` only at
/// the top; write `**/*.deb` for every level.
public struct GlobPattern: Sendable, Equatable, CustomStringConvertible {
  enum Token: Sendable, Equatable {
    case literal(Unicode.Scalar)
    case anyCharacter
    case star
    /// `**`; `directories` when followed by `/` (matches zero or more whole segments).
    case globstar(directories: Bool)
    case characterClass(ranges: [ClosedRange<Unicode.Scalar>], negated: Bool)
  }

  public let description: String
  let tokens: [Token]

  /// Parses `pattern`; an unterminated `[` is a usage error (64).
  public init(_ pattern: String) throws(UsageError) {
    description = pattern
    let scalars = Array(pattern.unicodeScalars)
    var tokens: [Token] = []
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      switch scalar {
      case "*":
        if index + 1 < scalars.count, scalars[index + 1] == "*" {
          index += 2
          if index < scalars.count, scalars[index] == "/" {
            tokens.append(.globstar(directories: true))
            index += 1
          } else {
            tokens.append(.globstar(directories: false))
            // Further stars add nothing.
            while index < scalars.count, scalars[index] == "*" { index += 1 }
          }
          continue
        }
        tokens.append(.star)
      case "?":
        tokens.append(.anyCharacter)
      case "\\":
        if index + 1 < scalars.count {
          index += 1
          tokens.append(.literal(scalars[index]))
        } else {
          tokens.append(.literal("\\"))
        }
      case "[":
        var cursor = index + 1
        var negated = false
        if cursor < scalars.count, scalars[cursor] == "!" || scalars[cursor] == "^" {
          negated = true
          cursor += 1
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var first = true
        while cursor < scalars.count, scalars[cursor] != "]" || first {
          first = false
          let low = scalars[cursor]
          if cursor + 2 < scalars.count, scalars[cursor + 1] == "-", scalars[cursor + 2] != "]" {
            let high = scalars[cursor + 2]
            guard low <= high else {
              throw UsageError(
                "The pattern '\(pattern)' has the reversed range '\(low)-\(high)'; write '\(high)-\(low)'."
              )
            }
            ranges.append(low...high)
            cursor += 3
          } else {
            ranges.append(low...low)
            cursor += 1
          }
        }
        guard cursor < scalars.count else {
          throw UsageError(
            "The pattern '\(pattern)' has a '[' without its closing ']'; write '\\[' for the character itself."
          )
        }
        tokens.append(.characterClass(ranges: ranges, negated: negated))
        index = cursor
      default:
        tokens.append(.literal(scalar))
      }
      index += 1
    }
    self.tokens = tokens
  }

  /// True when the whole of `path` matches.
  public func matches(_ path: String) -> Bool {
    let scalars = Array(path.unicodeScalars)
    // Memoised on (token, position) so patterns with many stars stay linear-ish on long paths.
    var failed = Set<Int>()
    return match(0, 0, scalars, &failed)
  }

  private func match(
    _ tokenIndex: Int, _ position: Int, _ scalars: [Unicode.Scalar], _ failed: inout Set<Int>
  ) -> Bool {
    let key = tokenIndex * (scalars.count + 1) + position
    if failed.contains(key) { return false }
    let result = matchUncached(tokenIndex, position, scalars, &failed)
    if !result { failed.insert(key) }
    return result
  }

  private func matchUncached(
    _ tokenIndex: Int, _ position: Int, _ scalars: [Unicode.Scalar], _ failed: inout Set<Int>
  ) -> Bool {
    guard tokenIndex < tokens.count else { return position == scalars.count }
    switch tokens[tokenIndex] {
    case .literal(let scalar):
      return position < scalars.count && scalars[position] == scalar
        && match(tokenIndex + 1, position + 1, scalars, &failed)
    case .anyCharacter:
      return position < scalars.count && scalars[position] != "/"
        && match(tokenIndex + 1, position + 1, scalars, &failed)
    case .characterClass(let ranges, let negated):
      guard position < scalars.count, scalars[position] != "/" else { return false }
      let inClass = ranges.contains { $0.contains(scalars[position]) }
      return inClass != negated && match(tokenIndex + 1, position + 1, scalars, &failed)
    case .star:
      var end = position
      while true {
        if match(tokenIndex + 1, end, scalars, &failed) { return true }
        guard end < scalars.count, scalars[end] != "/" else { return false }
        end += 1
      }
    case .globstar(let directories):
      if !directories {
        for end in position...scalars.count where match(tokenIndex + 1, end, scalars, &failed) {
          return true
        }
        return false
      }
      // Zero directories, or any run ending just after a `/`.
      if match(tokenIndex + 1, position, scalars, &failed) { return true }
      for end in position..<scalars.count where scalars[end] == "/" {
        if match(tokenIndex + 1, end + 1, scalars, &failed) { return true }
      }
      return false
    }
  }
}
