#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func closeDescriptor(_ descriptor: Int32) {
  #if canImport(Glibc)
    _ = Glibc.close(descriptor)
  #elseif canImport(Darwin)
    _ = Darwin.close(descriptor)
  #endif
}

/// Writes every byte, retrying short writes; false when the disk refuses one.
func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
  guard let base = bytes.baseAddress else { return true }
  var offset = 0
  while offset < bytes.count {
    #if canImport(Glibc)
      let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
    #elseif canImport(Darwin)
      let written = Darwin.write(descriptor, base + offset, bytes.count - offset)
    #endif
    guard written > 0 else { return false }
    offset += written
  }
  return true
}
