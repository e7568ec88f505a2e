import ArgumentParser

/// A word where a command belongs that names none: `release-linker publsh`, `links lsit`.
/// ArgumentParser would only say "Unexpected argument"; this names the nearest command.
enum CommandSuggestion {
  /// The sentence for the first word of `arguments` that is not a command where one is expected,
  /// or nil when every command word is known.
  static func problem(
    in arguments: [String], command: any ParsableCommand.Type = ReleaseLinkerCommand.self,
    path: [String] = ["release-linker"]
  ) -> String? {
    let subcommands = command.configuration.subcommands
    guard !subcommands.isEmpty, let word = arguments.first, !word.hasPrefix("-") else {
      return nil
    }
    let names = subcommands.map { $0._commandName } + ["help"]
    if let match = subcommands.first(where: { $0._commandName == word }) {
      return problem(in: Array(arguments.dropFirst()), command: match, path: path + [word])
    }
    if word == "help" { return nil }
    let place = path.joined(separator: " ")
    let listed = names.dropLast().joined(separator: ", ")
    guard let nearest = nearest(to: word, among: names) else {
      return "'\(word)' is not a command of \(place); the commands are \(listed)."
    }
    return "'\(word)' is not a command of \(place). Did you mean '\(place) \(nearest)'? "
      + "The commands are \(listed)."
  }

  /// The name closest to `word` by edit distance, when it is close enough to be a typo.
  static func nearest(to word: String, among names: [String]) -> String? {
    let scored = names.map { ($0, distance(word.lowercased(), $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    let allowed = max(1, min(3, best.0.count / 3))
    if best.1 <= allowed { return best.0 }
    // A prefix such as `pub` or `del` also names the command.
    return names.first { word.count >= 2 && $0.hasPrefix(word.lowercased()) }
  }

  /// Levenshtein distance, with a swap of two neighbours counting once.
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { rows[i][0] = i }
    for j in 0...b.count { rows[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
        }
      }
    }
    return rows[a.count][b.count]
  }
}
