#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way reports (`--report`, `--dotenv`) reach the disk.
///
/// A report is written to a new file beside its destination — created exclusively, so never
/// through a symbolic link, and given mode 0644 whatever the umask (a runner's umask 000 would
/// otherwise make it writable by anyone) — then renamed over the destination. Whatever stood at
/// the destination (an old report, a symbolic link planted to make the job overwrite another file)
/// is replaced, not followed, and a reader never sees half a report.
public enum ReportFile {
  /// Writes what `produce` hands to its writer, in pieces, as the file at `path`. Throws a
  /// sentence naming the file as the user gave it (`shownAs`) and the `flag` it came from.
  public static func replace(
    _ path: String, shownAs: String, flag: String,
    _ produce: (_ write: (String) -> Void) -> Void
  ) throws(UsageError) {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array("\(folder.isEmpty ? "" : folder)/.\(name).XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer in
      mkstemp(buffer.baseAddress.unsafelyUnwrapped)
    }
    guard descriptor >= 0 else { throw failure(shownAs, flag: flag) }
    let temporary = template.withUnsafeBufferPointer {
      String(cString: $0.baseAddress.unsafelyUnwrapped)
    }
    var failed = fchmod(descriptor, 0o644) != 0
    produce { text in
      guard !failed else { return }
      failed = !writeAll(text, to: descriptor)
    }
    failed = close(descriptor) != 0 || failed
    guard !failed, rename(temporary, path) == 0 else {
      let reason = failure(shownAs, flag: flag)
      unlink(temporary)
      throw reason
    }
  }

  private static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return true }
      var offset = 0
      while offset < bytes.count {
        let written = write(descriptor, base + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += written
      }
      return true
    }
  }

  private static func failure(_ path: String, flag: String) -> UsageError {
    UsageError(
      "Cannot write the file '\(path)' given with \(flag): \(String(cString: strerror(errno))). "
        + "Check that its folder exists and is writable.")
  }
}
