import FuzzSupport
import ReleaseLinkerCore

/// `--include`/`--type-rule` globs and the link templates, parsed from any text and applied to any
/// path: a pattern either parses or is a usage error, and matching always terminates.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzGlobTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let pieces = FuzzInput(data, size).pieces(3).map(FuzzInput.text)
  if let pattern = try? GlobPattern(pieces[0]) {
    _ = pattern.matches(pieces[1])
    _ = pattern.matches(pieces[2])
  }
  if let template = try? LinkTemplate(pieces[0], option: "--name-template") {
    let rendered = template.render { placeholder in
      placeholder == .path ? pieces[1] : placeholder.rawValue
    }
    invariant(
      template.placeholders.count <= LinkTemplate.Placeholder.allCases.count, "placeholders")
    _ = rendered
  }
  return 0
}

runFuzzer { data, size in data.map { fuzzGlobTemplate($0, size) } ?? 0 }
