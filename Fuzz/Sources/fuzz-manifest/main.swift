import FuzzSupport
import ReleaseLinkerCore

#if canImport(Glibc)
  import Glibc
#endif

/// Arbitrary bytes as a manifest file given to `publish --manifest`: reading never crashes, hangs or
/// leaks, and a manifest it accepts is one the release job may publish. It names the run's project
/// and tag, and every link passes the checks GitLab's API and docs/manifests.md make. Written back
/// as `scan --manifest` writes it, it reads back as the same manifest.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let path = "/dev/shm/release-linker-fuzz-manifest-\(getpid()).json"
  guard let file = fopen(path, "wb") else { return 0 }
  fwrite(data, 1, size, file)
  fclose(file)
  defer { unlink(path) }
  // The seeds' project and tag; each side knows the project by id and path, as CI jobs do.
  let expected = (
    project: ProjectIdentity(
      id: "20", path: "group/project", url: "https://gitlab.example.com/group/project"),
    tag: "v1.2.3"
  )
  guard let manifest = try? LinkManifest.read(path, named: "fuzz.json", expecting: expected)
  else { return 0 }
  invariant(manifest.project.isSame(as: expected.project) == true, "another project")
  invariant(manifest.tag == expected.tag, "another tag \(manifest.tag)")
  for link in manifest.links {
    invariant(!link.name.allSatisfy(\.isWhitespace), "a blank name")
    invariant(!link.url.isEmpty, "an empty url")
    if let assetPath = link.directAssetPath {
      invariant(DirectAssetPath.isValid(assetPath), "direct_asset_path \(assetPath)")
    }
    invariant(!link.asset.artifactPath.isEmpty, "an empty artifact_path")
    invariant(link.asset.size >= 0, "a negative size")
    if let digest = link.asset.sha256 {
      invariant(digest.utf8.count == 64, "sha256 \(digest)")
    }
    invariant(link.asset.manifest == "fuzz.json", "the link does not name its manifest")
  }
  // What `scan --manifest` would write from it reads back the same.
  guard (try? manifest.write(to: path, currentDirectory: "/")) != nil else {
    invariant(false, "an accepted manifest cannot be written back")
    return 0
  }
  let again = try? LinkManifest.read(path, named: "fuzz.json", expecting: expected)
  invariant(again == manifest, "the manifest does not read back as written")
  return 0
}

runFuzzer { data, size in data.map { fuzzManifest($0, size) } ?? 0 }
