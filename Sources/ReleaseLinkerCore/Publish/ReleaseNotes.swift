/// How the job's notes (`--release-notes FILE`) go into the release's description.
public enum NotesMode: String, Sendable, CaseIterable {
  /// The description is the job's notes, word for word.
  case replace
  /// The job's notes are one block at the end; what a person wrote before it stays as it is.
  case append
  /// The job's notes are one block at the start; what a person wrote after it stays as it is.
  case prepend
  /// An existing description is never changed; the notes only describe a release the job creates.
  case keep
}

/// Merges the job's notes into a release description by a ``NotesMode``.
///
/// In `append` and `prepend` modes the job's text sits between two marker lines (HTML comments,
/// invisible on the release page). A run finds its block by the markers and replaces only what is
/// between them, so repeated runs leave exactly one block and never touch the text around it.
public enum ReleaseNotes {
  public static let beginMarker = "<!-- release-linker:begin (written by the release job) -->"
  public static let endMarker = "<!-- release-linker:end -->"

  /// The block holding `notes`, markers included, without a trailing newline.
  public static func block(_ notes: String) -> String {
    var text = Substring(notes)
    while let last = text.last, last == "\n" || last == "\r" { text.removeLast() }
    while let first = text.first, first == "\n" || first == "\r" { text.removeFirst() }
    return beginMarker + "\n" + text + (text.isEmpty ? "" : "\n") + endMarker
  }

  /// The description the release should have, given what it has now (`current`, nil for a release
  /// the job creates) and the job's notes.
  public static func description(current: String?, notes: String, mode: NotesMode) -> String {
    switch mode {
    case .replace:
      return notes
    case .keep:
      return current ?? notes
    case .append, .prepend:
      let block = block(notes)
      guard let current, !current.isEmpty else { return block }
      if let merged = replacingBlocks(in: current, with: block) { return merged }
      if mode == .append {
        return current + separator(after: current) + block
      }
      return block + separator(before: current) + current
    }
  }

  /// `current` with its first block replaced by `block` and any further blocks removed, or nil when
  /// it holds no complete block.
  static func replacingBlocks(in current: String, with block: String) -> String? {
    guard let first = blockRange(in: current[...]) else { return nil }
    var result = String(current[..<first.lowerBound]) + block
    var rest = current[first.upperBound...]
    // Further blocks (a copy pasted by hand) go, with the blank line that set them apart.
    while let next = blockRange(in: rest) {
      var before = rest[..<next.lowerBound]
      while let last = before.last, last == "\n" { before.removeLast() }
      result += before
      rest = rest[next.upperBound...]
    }
    return result + rest
  }

  /// The range from a begin marker to the end of its end marker.
  private static func blockRange(in text: Substring) -> Range<String.Index>? {
    guard let begin = text.firstRange(of: beginMarker),
      let end = text[begin.upperBound...].firstRange(of: endMarker)
    else { return nil }
    return begin.lowerBound..<end.upperBound
  }

  /// A blank line between a person's text and the block, whatever the text ends with.
  private static func separator(after text: String) -> String {
    if text.hasSuffix("\n\n") { return "" }
    return text.hasSuffix("\n") ? "\n" : "\n\n"
  }

  private static func separator(before text: String) -> String {
    if text.hasPrefix("\n") { return "\n" }
    return "\n\n"
  }
}
