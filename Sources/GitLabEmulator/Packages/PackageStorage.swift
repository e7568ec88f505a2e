#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where uploaded package files live: a folder the emulator makes on first use and removes at
/// shutdown, or one it was given (then left in place). An upload is written to a `.part` file
/// and renamed to its package file's name once GitLab would have stored it.
struct PackageStorage: Sendable {
  private(set) var directory: String?
  private let ownsDirectory: Bool
  private var nextPart = 1
  /// Names this emulator's files apart from another's in a folder they share.
  private let prefix = String(UInt64.random(in: 0...UInt64.max), radix: 36)

  init(directory: String?) {
    self.directory = directory
    ownsDirectory = directory == nil
  }

  /// A fresh path for an upload's bytes; `nil` when no folder can be made.
  mutating func partPath() -> String? {
    guard let folder = folder() else { return nil }
    defer { nextPart += 1 }
    return "\(folder)/\(prefix)-upload-\(nextPart).part"
  }

  func filePath(id: Int) -> String? {
    directory.map { "\($0)/\(prefix)-package-file-\(id)" }
  }

  /// Removes the folder and what is in it, when the emulator made it.
  func removeOwned() {
    guard ownsDirectory, let directory, let listing = opendir(directory) else { return }
    while let entry = readdir(listing) {
      // Read in place: copying `d_name` whole reads past the last record of readdir's buffer.
      let name = String(
        cString: UnsafeRawPointer(entry).advanced(
          by: MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        ).assumingMemoryBound(to: CChar.self))
      if name != "." && name != ".." { unlink("\(directory)/\(name)") }
    }
    closedir(listing)
    rmdir(directory)
  }

  private mutating func folder() -> String? {
    if let directory { return directory }
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(base)/gitlab-emulator-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      return nil
    }
    directory = String(cString: made)
    return directory
  }
}
