import FuzzSupport
import ReleaseLinkerCore

#if canImport(Glibc)
  import Glibc
#endif

/// Arbitrary bytes as an archive: scanning never crashes, hangs or leaks, and every asset it finds
/// has a normalised relative path (no `..`, not absolute, not empty) and the size it read.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzArchiveScan(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let path = "/dev/shm/release-linker-fuzz-\(getpid()).bin"
  guard let file = fopen(path, "wb") else { return 0 }
  fwrite(data, 1, size, file)
  fclose(file)
  defer { unlink(path) }
  let scanner = AssetScanner(
    root: "/", currentDirectory: "/", checksums: size % 2 == 0, sink: DiscardingSink())
  guard let assets = try? scanner.scanArchive(path, displayName: "fuzz.bin") else { return 0 }
  for asset in assets {
    invariant(!asset.artifactPath.isEmpty, "an empty artifact path")
    invariant(!asset.artifactPath.hasPrefix("/"), "absolute path \(asset.artifactPath)")
    invariant(
      !asset.artifactPath.split(separator: "/").contains(".."), "'..' in \(asset.artifactPath)")
    invariant(asset.size >= 0, "negative size for \(asset.artifactPath)")
    if let digest = asset.sha256 { invariant(digest.utf8.count == 64, "short digest \(digest)") }
  }
  return 0
}

runFuzzer { data, size in data.map { fuzzArchiveScan($0, size) } ?? 0 }
