/// The characters that change how text is shown rather than being shown: what a token, a tag or a
/// link name may not hold, and what Output escapes before text from outside reaches a terminal.
public enum ControlCharacters {
  /// C0 and C1 controls and DEL (Unicode's `Cc`): line breaks, ESC, BEL, CSI…
  public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  /// The bidirectional embeddings, overrides and isolates, the implicit direction marks, and the
  /// line and paragraph separators: invisible, yet they reorder or break what is shown.
  public static func isLayoutControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// Either kind.
  public static func affectsDisplay(_ scalar: Unicode.Scalar) -> Bool {
    isControl(scalar) || isLayoutControl(scalar)
  }
}
