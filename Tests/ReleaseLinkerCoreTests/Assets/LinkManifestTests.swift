import Foundation
import Testing

@testable import ReleaseLinkerCore

private let ciVariables = [
  "CI_PROJECT_ID": "20", "CI_PROJECT_PATH": "mynamespace/hello",
  "CI_PROJECT_URL": "https://gitlab.example.com/mynamespace/hello", "CI_COMMIT_TAG": "v1.7.0",
  "CI_JOB_ID": "101", "CI_JOB_NAME": "build: [linux]",
]

private func configuration(
  _ variables: [String: String] = ciVariables, input: ConfigurationInput = ConfigurationInput()
) -> Configuration {
  Configuration(input: input, environment: Environment(variables))
}

private func link(_ path: String, jobID: String? = nil) -> DerivedLink {
  DerivedLink(
    asset: Asset(
      artifactPath: path, size: 12, sha256: String(repeating: "ab", count: 32), jobID: jobID),
    name: (path as NSString).lastPathComponent,
    url:
      "https://gitlab.example.com/mynamespace/hello/-/jobs/\(jobID ?? "101")/artifacts/raw/\(path)",
    directAssetPath: "/" + path, linkType: .package)
}

private let here = (
  project: ProjectIdentity(id: "20", path: "mynamespace/hello", url: nil), tag: "v1.7.0"
)

/// The manifest's text with `change` applied to its JSON object.
private func edited(_ manifest: LinkManifest, _ change: (inout [String: Any]) -> Void) throws
  -> Data
{
  var object = try #require(
    try JSONSerialization.jsonObject(with: manifest.jsonData()) as? [String: Any])
  change(&object)
  return try JSONSerialization.data(withJSONObject: object)
}

private func message(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let error as DataError {
    return error.message
  } catch {
    return "\(error)"
  }
}

@Suite struct LinkManifestTests {
  @Test func aManifestReadsBackAsTheLinksItWasWrittenFrom() throws {
    let links = [link("dist/linux/hello"), link("dist/linux/hello.deb", jobID: "7")]
    let manifest = try LinkManifest.of(links, configuration: configuration())
    let read = try LinkManifest.decode(manifest.jsonData(), named: "m.json")
    #expect(read.tag == "v1.7.0")
    #expect(
      read.project
        == ProjectIdentity(
          id: "20", path: "mynamespace/hello", url: "https://gitlab.example.com/mynamespace/hello"))
    #expect(read.jobID == "101")
    #expect(read.jobName == "build: [linux]")
    // Each link names its source job: the download's own, else the job of the default URLs.
    #expect(read.links.map(\.asset.jobID) == ["101", "7"])
    #expect(read.links.map(\.asset.manifest) == ["m.json", "m.json"])
    #expect(read.links.map(\.name) == links.map(\.name))
    #expect(read.links.map(\.url) == links.map(\.url))
    #expect(read.links.map(\.directAssetPath) == links.map(\.directAssetPath))
    #expect(read.links.map(\.linkType) == [.package, .package])
    #expect(read.links.map(\.asset.size) == [12, 12])
    #expect(read.links.map(\.asset.sha256) == links.map(\.asset.sha256))
  }

  @Test func theDocumentHasTheDocumentedKeys() throws {
    let manifest = try LinkManifest.of([link("a/b.bin")], configuration: configuration())
    let object = try #require(
      try JSONSerialization.jsonObject(with: manifest.jsonData()) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "release_linker_manifest", "generator", "project", "tag", "job", "links",
      ])
    #expect(object["release_linker_manifest"] as? Int == 1)
    let entry = try #require((object["links"] as? [[String: Any]])?.first)
    #expect(
      Set(entry.keys) == [
        "name", "url", "direct_asset_path", "link_type", "artifact_path", "size", "sha256",
        "job_id",
      ])
  }

  @Test func aManifestNeedsTheProjectAndTheTag() {
    var withoutTag = ciVariables
    withoutTag["CI_COMMIT_TAG"] = nil
    #expect(throws: UsageError.self) {
      try LinkManifest.of([link("a.bin")], configuration: configuration(withoutTag))
    }
    let error = #expect(throws: UsageError.self) {
      try LinkManifest.of([link("a.bin")], configuration: configuration([:]))
    }
    #expect(error?.message.contains("--project") == true)
  }

  @Test func aProjectGivenByFlagNamesOnlyItself() throws {
    let identity = try ProjectIdentity(
      configuration: configuration(input: ConfigurationInput(project: "other/app")))
    #expect(identity.id == nil)
    #expect(identity.path == "other/app")
  }

  @Test func projectsCompareByIdElseByPathIgnoringCase() {
    let both = ProjectIdentity(id: "20", path: "Group/App", url: nil)
    #expect(both.isSame(as: ProjectIdentity(id: "20", path: nil, url: nil)) == true)
    #expect(both.isSame(as: ProjectIdentity(id: "21", path: "Group/App", url: nil)) == false)
    #expect(both.isSame(as: ProjectIdentity(id: nil, path: "group/app", url: nil)) == true)
    #expect(
      ProjectIdentity(id: "20", path: nil, url: nil).isSame(
        as: ProjectIdentity(id: nil, path: "group/app", url: nil)) == nil)
  }

  @Test func anotherVersionIsNamedAsSuch() throws {
    let manifest = try LinkManifest.of([link("a.bin")], configuration: configuration())
    let data = try edited(manifest) { $0["release_linker_manifest"] = 2 }
    let text = message { _ = try LinkManifest.decode(data, named: "build/m.json") }
    #expect(text?.contains("'build/m.json' has version 2") == true, "\(text ?? "")")
  }

  @Test func malformedDocumentsSayWhatIsWrongAndWhere() throws {
    let manifest = try LinkManifest.of([link("a.bin")], configuration: configuration())
    let cases: [(Data, String)] = [
      (Data("{\"release_linker_manifest\": 1, \"links\": [".utf8), "not a JSON object"),
      (Data("[1, 2]".utf8), "not a JSON object"),
      (Data("{\"links\": []}".utf8), "not a release-linker manifest"),
      (
        try edited(manifest) { object in
          var links = object["links"] as? [[String: Any]] ?? []
          links[0]["url"] = nil
          object["links"] = links
        }, "links[0].url is missing"
      ),
      (
        try edited(manifest) { object in
          var links = object["links"] as? [[String: Any]] ?? []
          links[0]["size"] = "big"
          object["links"] = links
        }, "links[0].size is not a whole number"
      ),
      (
        try edited(manifest) { object in
          var links = object["links"] as? [[String: Any]] ?? []
          links[0]["link_type"] = "binary"
          object["links"] = links
        }, "links[0].link_type"
      ),
    ]
    for (data, expected) in cases {
      let text = message { _ = try LinkManifest.decode(data, named: "m.json") }
      #expect(text?.contains("'m.json'") == true, "\(text ?? "no error")")
      #expect(text?.contains(expected) == true, "\(text ?? "no error") lacks \(expected)")
    }
  }

  @Test func anotherProjectOrTagOrABadEntryIsRefusedOnReading() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "manifest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func written(_ variables: [String: String], _ links: [DerivedLink]) throws -> String {
      let path = folder.appendingPathComponent("\(UUID().uuidString).json").path
      try LinkManifest.of(links, configuration: configuration(variables))
        .write(to: path, currentDirectory: "/")
      return path
    }
    var otherProject = ciVariables
    otherProject["CI_PROJECT_ID"] = "21"
    var otherTag = ciVariables
    otherTag["CI_COMMIT_TAG"] = "v2.0.0"
    var badPath = link("a.bin")
    badPath.directAssetPath = "/a b"
    let cases: [(String, String)] = [
      (try written(otherProject, [link("a.bin")]), "project 21"),
      (try written(otherTag, [link("a.bin")]), "tag 'v2.0.0'"),
      (try written(ciVariables, [badPath]), "direct_asset_path GitLab refuses"),
    ]
    for (path, expected) in cases {
      let text = message { _ = try LinkManifest.read(path, named: "m.json", expecting: here) }
      #expect(text?.contains("'m.json'") == true, "\(text ?? "no error")")
      #expect(text?.contains(expected) == true, "\(text ?? "no error") lacks \(expected)")
    }
    let fine = try LinkManifest.read(
      try written(ciVariables, [link("a.bin")]), named: "m.json", expecting: here)
    #expect(fine.links.count == 1)
    let missing = message {
      _ = try LinkManifest.read(folder.path + "/none.json", named: "none.json", expecting: here)
    }
    #expect(missing?.contains("Cannot read the manifest 'none.json'") == true)
  }

  @Test func writingCreatesTheFolderAndLeavesNoTemporaryFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "manifest-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let manifest = try LinkManifest.of([link("a.bin")], configuration: configuration())
    try manifest.write(to: "manifests/linux.json", currentDirectory: folder.path)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path + "/manifests")
        == ["linux.json"])
    #expect(throws: UsageError.self) {
      try manifest.write(to: "/proc/none/linux.json", currentDirectory: "/")
    }
  }
}
