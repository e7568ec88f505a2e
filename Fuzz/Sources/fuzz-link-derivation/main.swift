import FuzzSupport
import ReleaseLinkerCore

@testable import GitLabEmulator

/// An entry name → the link it becomes. Names the scanner accepts always give a
/// `direct_asset_path` that GitLab's own rule (the emulator's independent implementation of
/// `Releases::Link::FILEPATH_REGEX`) accepts, a URL under the project with nothing unencoded in
/// it, and a name that is not blank.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzLinkDerivation(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = FuzzInput(data, size)
  guard case .success(let path) = ArtifactPath.normalise(FuzzInput.text(input.bytes)) else {
    return 0
  }
  let configuration = Configuration(
    input: ConfigurationInput(), environment: FuzzFixtures.environment)
  guard
    let deriver = try? LinkDeriver(options: DerivationOptions(), configuration: configuration)
  else { fatalError("the default templates must parse") }
  let asset = Asset(artifactPath: path, size: Int64(size), sha256: nil)
  for disambiguating in [false, true] {
    let link = deriver.derive(asset, disambiguatingPath: disambiguating)
    if let directAssetPath = link.directAssetPath {
      invariant(
        FilepathFormat.isValid(directAssetPath)
          && directAssetPath.count <= FilepathFormat.maximumLength,
        "GitLab would refuse direct_asset_path \(directAssetPath) for \(path)")
    }
    invariant(
      link.url.hasPrefix(FuzzFixtures.projectURL + "/-/jobs/7/artifacts/raw/"),
      "URL \(link.url) is not under the job's artifacts")
    invariant(
      link.url.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "unencoded bytes in URL \(link.url)")
  }
  return 0
}

enum FuzzFixtures {
  static let projectURL = "https://gitlab.example.com/group/app"
  static let environment = Environment([
    "CI_PROJECT_URL": projectURL, "CI_JOB_ID": "7", "CI_COMMIT_TAG": "v1.0.0",
  ])
}

runFuzzer { data, size in data.map { fuzzLinkDerivation($0, size) } ?? 0 }
