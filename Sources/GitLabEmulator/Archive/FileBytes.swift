#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file on disk read at any offset with `pread`: an archive a record at a time.
final class FileBytes: ZipSource {
  let path: String
  let size: Int
  private let descriptor: Int32

  init?(path: String) {
    descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      closeDescriptor(descriptor)
      return nil
    }
    self.path = path
    size = Int(info.st_size)
  }

  deinit { closeDescriptor(descriptor) }

  func bytes(at offset: Int, count: Int) -> [UInt8]? {
    guard offset >= 0, count >= 0, offset + count <= size else { return nil }
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let read = bytes.withUnsafeMutableBytes {
        pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done))
      }
      guard read > 0 else { return nil }
      done += read
    }
    return bytes
  }
}
