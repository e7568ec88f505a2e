internal import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One entry of an archive as its header describes it.
public struct ArchiveEntry: Sendable, Equatable {
  /// What the entry is; only regular files become assets.
  public enum Kind: String, Sendable, Equatable {
    case regularFile = "regular file"
    case directory
    case symbolicLink = "symbolic link"
    case hardLink = "hard link"
    case device
    case fifo
    case socket
    case unknown = "entry of unknown type"
  }

  /// The entry's name as UTF-8 text; names that are not valid UTF-8 are decoded with U+FFFD in place
  /// of the bad bytes (see ``nameWasLossy``).
  public var name: String
  /// True when the stored name was not valid UTF-8 and had to be decoded lossily.
  public var nameWasLossy: Bool
  public var kind: Kind
  /// The size the header declares, or nil when the format does not store it up front.
  public var declaredSize: Int64?
}

/// Why an archive could not be read (exit 65).
public struct ArchiveError: ReleaseLinkerError, Equatable {
  public var archivePath: String
  /// libarchive's own words.
  public var reason: String

  public var exitStatus: ExitStatus { .dataError }
  public var message: String {
    "Cannot read the archive '\(archivePath)': \(reason)."
  }

  public init(archivePath: String, reason: String) {
    self.archivePath = archivePath
    self.reason = reason
  }
}

/// Streams the entries of any archive libarchive reads (zip, tar and its compressed forms, 7z, cpio,
/// …) without extracting anything: headers one by one, and each entry's data in fixed-size blocks.
///
/// Owns its libarchive handle and frees it on deinit; not `Sendable` (libarchive handles are not
/// thread-safe).
public final class ArchiveReader {
  /// How many bytes each data read hands over; memory stays flat whatever the archive's size.
  public static let blockSize = 64 * 1024

  public let path: String
  private let handle: OpaquePointer
  private let block: UnsafeMutableRawPointer
  /// A UTF-8 `LC_CTYPE` used on this thread while libarchive runs: in the "C" locale processes
  /// start with, libarchive cannot convert non-ASCII names (7z's UTF-16, zip's UTF-8 flag) and
  /// drops them. `uselocale` is per thread, so the process's own locale is left alone.
  private let utf8Locale: locale_t?
  /// The descriptor the archive is read through, or -1 before it is open.
  private let descriptor: Int32
  /// Whether ``descriptor`` was opened here (and is closed on deinit).
  private let ownsDescriptor: Bool
  /// Whether the first header has been read (a zip's directory is checked then).
  private var started = false

  /// Opens `path` for streaming. Throws ``ArchiveError`` when the file cannot be opened.
  public convenience init(path: String) throws(ArchiveError) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw ArchiveError(archivePath: path, reason: String(cString: strerror(errno)))
    }
    try self.init(descriptor: descriptor, owned: true, name: path)
  }

  /// Streams the archive readable through the open `fileDescriptor` (for a file already unlinked,
  /// such as a download); `name` is how errors name it. The descriptor stays the caller's.
  public convenience init(fileDescriptor: Int32, name: String) throws(ArchiveError) {
    try self.init(descriptor: fileDescriptor, owned: false, name: name)
  }

  private init(descriptor: Int32, owned: Bool, name: String) throws(ArchiveError) {
    self.path = name
    self.descriptor = descriptor
    self.ownsDescriptor = owned
    guard let handle = archive_read_new() else {
      if owned { close(descriptor) }
      throw ArchiveError(archivePath: name, reason: "libarchive could not allocate a reader")
    }
    self.handle = handle
    self.block = UnsafeMutableRawPointer.allocate(byteCount: Self.blockSize, alignment: 16)
    self.utf8Locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)
    archive_read_support_filter_all(handle)
    // Every archive format, but not libarchive's mtree (a text listing of files whose data it
    // reads from the disk) nor raw and empty (which accept any file): a text file given as an
    // archive must be "not an archive", never a list of assets.
    archive_read_support_format_7zip(handle)
    archive_read_support_format_ar(handle)
    archive_read_support_format_cab(handle)
    archive_read_support_format_cpio(handle)
    archive_read_support_format_iso9660(handle)
    archive_read_support_format_lha(handle)
    archive_read_support_format_rar(handle)
    archive_read_support_format_rar5(handle)
    archive_read_support_format_tar(handle)
    archive_read_support_format_xar(handle)
    archive_read_support_format_zip(handle)
    // Reading through a descriptor of a regular file lets libarchive seek: a zip is then read by
    // its central directory, the way GitLab reads it.
    let status = withUTF8Locale { archive_read_open_fd(handle, descriptor, Self.blockSize) }
    if status != ARCHIVE_OK {
      throw failure(status)
    }
  }

  deinit {
    archive_read_free(handle)
    block.deallocate()
    if let utf8Locale { freelocale(utf8Locale) }
    if ownsDescriptor { close(descriptor) }
  }

  private func withUTF8Locale<T>(_ body: () -> T) -> T {
    guard let utf8Locale, let previous = uselocale(utf8Locale) else { return body() }
    defer { uselocale(previous) }
    return body()
  }

  /// The next entry's header, or nil at the end of the archive. Data of the previous entry that was
  /// not read is skipped.
  public func nextEntry() throws(ArchiveError) -> ArchiveEntry? {
    var entry: OpaquePointer?
    var status: Int32
    repeat {
      status = withUTF8Locale { archive_read_next_header(handle, &entry) }
    } while status == ARCHIVE_RETRY
    if status == ARCHIVE_EOF { return nil }
    // ARCHIVE_WARN reports recoverable trouble such as a name that cannot be converted to the
    // locale's charset; the header is still usable and the name is handled below.
    guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
      throw failure(status)
    }
    if !started {
      started = true
      try checkZipDirectory()
    }
    let (name, lossy) = withUTF8Locale { Self.name(of: entry) }
    let size: Int64? = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
    return ArchiveEntry(
      name: name, nameWasLossy: lossy, kind: Self.kind(of: entry), declaredSize: size)
  }

  /// Streams the current entry's data through `body` in blocks of at most ``blockSize`` bytes and
  /// returns the number of bytes read.
  @discardableResult
  public func readData(_ body: (UnsafeRawBufferPointer) -> Void) throws(ArchiveError) -> Int64 {
    var total: Int64 = 0
    let buffer = UnsafeMutableRawBufferPointer(start: block, count: Self.blockSize)
    while true {
      let count = try readData(into: buffer)
      if count == 0 { break }
      body(UnsafeRawBufferPointer(start: block, count: count))
      total += Int64(count)
    }
    return total
  }

  /// Reads the next piece of the current entry's data into `buffer` and returns its length; 0 at
  /// the end of the entry.
  public func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
    guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
    while true {
      let count = withUTF8Locale { archive_read_data(handle, base, buffer.count) }
      if count >= 0 { return count }
      if Int32(count) == ARCHIVE_RETRY { continue }
      throw failure(Int32(count))
    }
  }

  /// A zip must have its central directory, and name each entry there as its local header does
  /// (see ``ZipCentralDirectory``); other formats have a single copy of each name.
  private func checkZipDirectory() throws(ArchiveError) {
    guard archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_ZIP else { return }
    do {
      try ZipCentralDirectory.verify(descriptor: descriptor)
    } catch {
      throw ArchiveError(archivePath: path, reason: error.reason)
    }
  }

  /// True when the whole archive is one compressed stream (tar.gz, tar.xz, …): reaching an entry
  /// then means decompressing every entry before it, so entries are best read in one pass. A zip's
  /// or 7z's entries are compressed one by one and can be reached directly.
  public var isCompressedStream: Bool { archive_filter_count(handle) > 1 }

  private func failure(_ status: Int32) -> ArchiveError {
    let text = Self.errorText(handle, status)
    guard text == "Unrecognized archive format" else {
      return ArchiveError(archivePath: path, reason: text)
    }
    return ArchiveError(
      archivePath: path,
      reason: "it is not an archive (\(text)); release-linker reads zip, tar (plain or "
        + "compressed with gzip, bzip2, xz, zstd, lz4 or lzma), 7z, cpio, ar, cab, iso9660, lha, "
        + "rar and xar")
  }

  private static func errorText(_ handle: OpaquePointer, _ status: Int32) -> String {
    var text: String
    if let message = archive_error_string(handle) {
      text = String(
        decoding: UnsafeRawBufferPointer(start: message, count: strlen(message)), as: UTF8.self)
    } else {
      let code = archive_errno(handle)
      text =
        code != 0
        ? String(cString: strerror(code)) : "libarchive returned status \(status) without a message"
    }
    while text.hasSuffix(".") || text.hasSuffix("\n") { text.removeLast() }
    return text
  }

  private static func name(of entry: OpaquePointer) -> (String, Bool) {
    // The UTF-8 form is what zip (with its UTF-8 flag), pax and 7z store; libarchive gives it
    // whatever the process locale. Without it, fall back to the raw bytes as stored.
    if let utf8 = archive_entry_pathname_utf8(entry) {
      return decode(utf8)
    }
    if let raw = archive_entry_pathname(entry) {
      return decode(raw)
    }
    return ("", false)
  }

  private static func decode(_ pointer: UnsafePointer<CChar>) -> (String, Bool) {
    let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
    if let text = String(validating: bytes, as: UTF8.self) {
      return (text, false)
    }
    return (String(decoding: bytes, as: UTF8.self), true)
  }

  private static func kind(of entry: OpaquePointer) -> ArchiveEntry.Kind {
    if archive_entry_hardlink(entry) != nil { return .hardLink }
    // libarchive's AE_IF* values are the POSIX S_IF* ones (its macros do not import into Swift).
    switch mode_t(archive_entry_filetype(entry)) {
    case S_IFREG: return .regularFile
    case S_IFDIR: return .directory
    case S_IFLNK: return .symbolicLink
    case S_IFCHR, S_IFBLK: return .device
    case S_IFIFO: return .fifo
    case S_IFSOCK: return .socket
    default: return .unknown
    }
  }
}

@available(*, unavailable)
extension ArchiveReader: Sendable {}
