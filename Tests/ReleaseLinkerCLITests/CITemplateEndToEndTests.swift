import Foundation
import Testing

/// Each example pipeline, run for real (``ExamplePipelineRun``): the jobs the release job needs run
/// their scripts, the release job's script (from the template or the component) runs the built
/// release-linker against the GitLab emulator with the job token, and a second run of the same job,
/// as a retried job would, writes nothing.
@Suite(.serialized) struct CITemplateEndToEndTests {
  static let examples = CITemplateTests.files.filter { $0.hasPrefix("ci-templates/examples/") }

  @Test(arguments: examples)
  func exampleLinksTheBuildOnceAndARerunWritesNothing(file: String) throws {
    let example = try ExamplePipelineRun(file)
    defer { example.cleanUp() }
    try example.runNeededJobs()
    let emulator = try example.startEmulator()
    defer { emulator.stop() }
    let project = ExamplePipelineRun.projectID
    let tag = ExamplePipelineRun.tag

    let first = try example.runReleaseJob(emulator)
    try #require(first.status == 0, "\(file): the release job failed: \(first.stderr)")
    let links = try emulator.links(project: project, tag: tag)
    let firstReport = try example.dotenv()
    #expect(!links.isEmpty)
    #expect(firstReport["RELEASE_LINKER_TAG"] == tag)
    #expect(firstReport["RELEASE_LINKER_CREATED"] == String(links.count))
    #expect(firstReport["RELEASE_LINKER_FAILED"] == "0")
    for link in links {
      let name = link["name"] as? String ?? ""
      let url = link["url"] as? String ?? ""
      // Each link points at the artifacts of the job that built its file.
      let builder = example.builder(ofFileNamed: name)
      #expect(builder != nil, "\(file): link \(name) names no file the build made")
      #expect(
        url.hasPrefix(
          ExamplePipelineRun.projectURL + "/-/jobs/\(builder ?? "?")/artifacts/raw/"),
        "\(file): \(url) does not point at the artifacts of job \(builder ?? "?")")
      #expect((link["direct_asset_path"] as? String)?.hasPrefix("/") == true)
    }
    let report = try Data(
      contentsOf: example.workspace.appendingPathComponent("release-linker.json"))
    let summary = try #require(
      (try JSONSerialization.jsonObject(with: report) as? [String: Any])?["summary"]
        as? [String: Any])
    #expect(summary["create"] as? Int == links.count)

    // A retried job: the same script again finds every link in place.
    let writesBefore = try emulator.writes()
    let second = try example.runReleaseJob(emulator)
    #expect(second.status == 0, "\(file): the re-run failed: \(second.stderr)")
    #expect(try emulator.writes() == writesBefore, "\(file): the re-run sent writes")
    let secondReport = try example.dotenv()
    #expect(secondReport["RELEASE_LINKER_CREATED"] == "0")
    #expect(secondReport["RELEASE_LINKER_UNCHANGED"] == String(links.count))
    #expect(try emulator.links(project: project, tag: tag).count == links.count)
  }

  @Test func theMatrixExampleListsThePlatformsByNameAndARetriedBuildUpdatesOnlyItsLink() throws {
    let example = try ExamplePipelineRun("ci-templates/examples/matrix.gitlab-ci.yml")
    defer { example.cleanUp() }
    try example.runNeededJobs()
    let builds = try example.neededJobs()
    #expect(builds.count == 3)
    #expect(Set(example.jobIDs.values).count == 3, "every build job has its own id")
    let emulator = try example.startEmulator()
    defer { emulator.stop() }
    let first = try example.runReleaseJob(emulator)
    try #require(first.status == 0, "the release job failed: \(first.stderr)")
    let before = try emulator.links(
      project: ExamplePipelineRun.projectID, tag: ExamplePipelineRun.tag)
    // The emulator's own route lists oldest first; RELEASE_LINKER_ORDER=name created the last name
    // first, so GitLab, newest first, shows them by name.
    #expect(
      before.compactMap { $0["name"] as? String }.reversed() == [
        "hello-darwin-arm64", "hello-linux-amd64", "hello-windows-amd64",
      ])

    // The linux job is retried: a new job id, the same file, a new manifest.
    let linux = try #require(builds.first { $0.contains("linux-amd64") })
    try example.runNeededJob(linux, jobID: "1009")
    let writesBefore = try emulator.writes()
    let rerun = try example.runReleaseJob(emulator)
    #expect(rerun.status == 0, "the release job's re-run failed: \(rerun.stderr)")
    #expect(try emulator.writes() == writesBefore + 1)
    let report = try example.dotenv()
    #expect(report["RELEASE_LINKER_UPDATED"] == "1")
    #expect(report["RELEASE_LINKER_UNCHANGED"] == "2")
    let after = try emulator.links(
      project: ExamplePipelineRun.projectID, tag: ExamplePipelineRun.tag)
    for link in after {
      let name = link["name"] as? String ?? ""
      let url = link["url"] as? String ?? ""
      if name == "hello-linux-amd64" {
        #expect(url.contains("/-/jobs/1009/artifacts/raw/dist/linux-amd64/"), "\(url)")
      } else {
        let old = before.first { $0["name"] as? String == name }
        #expect(old?["url"] as? String == url, "\(name) changed")
      }
    }
  }

  /// Regular files under `url` (itself, if it is one), as paths.
  static func files(under url: URL) throws -> Set<String> {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      return []
    }
    guard isDirectory.boolValue else { return [url.path] }
    var files: Set<String> = []
    for case let path as String in FileManager.default.enumerator(atPath: url.path) ?? .init() {
      let file = url.appendingPathComponent(path)
      var directory: ObjCBool = false
      if FileManager.default.fileExists(atPath: file.path, isDirectory: &directory),
        !directory.boolValue
      {
        files.insert(file.path)
      }
    }
    return files
  }

  static func dotenv(_ url: URL) throws -> [String: String] {
    var values: [String: String] = [:]
    for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
      let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
    }
    return values
  }
}

extension CIPipeline {
  /// The paths a job keeps as artifacts (`artifacts:paths`), without a trailing `/`.
  func artifactPaths(of jobName: String) -> [String] {
    (resolvedJob(jobName)["artifacts"]?.map?["paths"]?.list ?? []).compactMap(\.string).map {
      $0.hasSuffix("/") ? String($0.dropLast()) : $0
    }
  }
}

/// The built `gitlab-emulator` running as its own process, as a pipeline's GitLab.
final class EmulatorProcess {
  let process = Process()
  let baseURL: String

  init(arguments: [String]) throws {
    process.executableURL = CLIRunner.productsDirectory.appendingPathComponent("gitlab-emulator")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Its first line is `listening on http://HOST:PORT`; end of output first means it stopped.
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard let start = text.range(of: "listening on ") else {
      process.terminate()
      throw CITestError("gitlab-emulator did not start: \(text)")
    }
    baseURL = String(text[start.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func stop() {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }

  /// The links a release holds, read through the emulator's own route.
  func links(project: String, tag: String) throws -> [[String: Any]] {
    try get("/-/emulator/links/\(project)/\(tag)") as? [[String: Any]] ?? []
  }

  /// Write requests (POST, PUT, DELETE) the emulator has answered.
  func writes() throws -> Int {
    (try get("/-/emulator/stats") as? [String: Any])?["writes"] as? Int ?? -1
  }

  private func get(_ path: String) throws -> Any {
    let curl = Process()
    curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    curl.arguments = ["--silent", "--fail", baseURL + path]
    let output = Pipe()
    curl.standardOutput = output
    curl.standardError = FileHandle.nullDevice
    try curl.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    curl.waitUntilExit()
    guard curl.terminationStatus == 0 else {
      throw CITestError("GET \(path) on the emulator failed (curl exit \(curl.terminationStatus))")
    }
    return try JSONSerialization.jsonObject(with: data)
  }
}
