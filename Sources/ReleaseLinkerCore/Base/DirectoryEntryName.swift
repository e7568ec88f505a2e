#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The name of an entry `readdir(3)` returned, as raw bytes up to its NUL.
///
/// Read in place, never by copying `entry.pointee.d_name`: glibc packs the entries of a folder into
/// its buffer by each one's `d_reclen`, so a short name's record can end less than the 256 bytes
/// the struct declares before the buffer's end, and copying the whole field reads past it
/// (AddressSanitizer: heap-buffer-overflow in a scan of 1,000 files).
func directoryEntryName(_ entry: UnsafeMutablePointer<dirent>) -> [UInt8] {
  let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
  let name = UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self)
  return Array(UnsafeRawBufferPointer(start: name, count: strlen(name)))
}
