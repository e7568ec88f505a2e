/// The `Content-Type` Workhorse gives a file it serves from an archive: Go's
/// `mime.TypeByExtension` for well-known extensions, else `application/octet-stream`
/// (workhorse/internal/zipartifacts, `detectFileContentType`).
enum MediaTypes {
  private static let byExtension: [String: String] = [
    "txt": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
    "json": "application/json", "xml": "text/xml; charset=utf-8", "pdf": "application/pdf",
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "svg": "image/svg+xml", "zip": "application/zip", "gz": "application/gzip",
    "tar": "application/x-tar", "wasm": "application/wasm",
  ]

  static func forFile(named name: String) -> String {
    let base = name.split(separator: "/").last.map(String.init) ?? name
    guard let dot = base.lastIndex(of: "."), dot != base.startIndex else {
      return "application/octet-stream"
    }
    return byExtension[base[base.index(after: dot)...].lowercased()] ?? "application/octet-stream"
  }
}
