import Foundation
import GitLabEmulator
import Testing

/// Every command against the honest emulator, on its success path and its failure paths (401,
/// 403, 404, 429, 5xx, a reset, a timeout, a body that is not JSON), with `--verbose` and every
/// report file: no form of any token is printed or written, whichever way it was passed.
@Suite(.serialized) struct SecretsEmulatorTests {
  private func world(_ emulator: GitLabEmulator, role: ProjectRole = .maintainer) throws {
    emulator.addProject(id: 20, path: "mynamespace/hello")
    emulator.addRelease(projectID: 20, tag: "v1.7.0")
    emulator.addJobToken(SecretTokens.job, projectID: 20, jobID: 688, role: role)
    emulator.addJobToken(SecretTokens.file, projectID: 20, jobID: 688, role: role)
    emulator.addPrivateToken(SecretTokens.access, roles: [20: role])
  }

  private func environment(_ emulator: GitLabEmulator, tag: String = "v1.7.0") -> [String: String] {
    [
      "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
      "CI_PROJECT_URL": "\(emulator.baseURL)/mynamespace/hello", "CI_COMMIT_TAG": tag,
    ]
  }

  /// Job 687's artifacts (`dist/tool`, for `--artifacts-job`) and the release job 688's own
  /// (`bin/app`, so that the links to it download and `verify` passes).
  private func artifacts(_ emulator: GitLabEmulator, sandbox: SecretSandbox) throws {
    for (job, file) in [(687, "dist/tool"), (688, "bin/app")] {
      let folder = sandbox.root.appendingPathComponent("build-\(job)")
      let path = folder.appendingPathComponent(file)
      try FileManager.default.createDirectory(
        at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data("app binary\n".utf8).write(to: path)
      let zip = sandbox.root.appendingPathComponent("artifacts-\(job).zip")
      _ = try Shell.run(["zip", "-qr", zip.path, "."], in: folder)
      emulator.setArtifacts(projectID: 20, jobID: job, fileAt: zip.path)
    }
  }

  /// Each command that reads or writes, as a job would run it; the link `links create` makes is
  /// one the emulator serves.
  private func commands(_ emulator: GitLabEmulator) -> [[String]] {
    [
      [
        "publish", "bin", "--report", "out/report.json", "--dotenv", "out/release.env",
        "--checksums", "out/SHA256SUMS",
      ],
      ["publish", "bin", "-o", "json", "--report", "out/report.json"],
      ["plan", "bin", "--report", "out/plan.json"],
      [
        "publish", "bin", "--upload", "generic", "--verify", "--checksums", "out/SHA256SUMS",
        "--report", "out/upload.json", "--dotenv", "out/release.env",
      ],
      ["links", "list"], ["links", "list", "-o", "json"],
      [
        "links", "create", "--name", "extra", "--url",
        "\(emulator.baseURL)/mynamespace/hello/-/jobs/688/artifacts/raw/bin/app",
      ],
      ["doctor"], ["verify"], ["verify", "-o", "json"],
      [
        "scan", "--artifacts-job", "687", "--manifest", "out/manifest.json", "--checksums",
        "scan.sums",
      ],
      ["publish", "--artifacts-job", "687", "--report", "out/report.json"],
    ]
  }

  private func run(
    _ commands: [[String]], _ way: TokenWay, _ sandbox: SecretSandbox,
    _ environment: [String: String], extra: [String] = [], before: () -> Void = {}
  ) throws -> (leaks: [String], statuses: [Int32]) {
    var leaks: [String] = []
    var statuses: [Int32] = []
    for command in commands {
      try sandbox.clearOutputs()
      before()
      let (result, found) = try sandbox.run(
        command + ["--verbose"] + extra, way: way, environment: environment)
      statuses.append(result.status)
      leaks += found.map { "\(way) \(command.prefix(3).joined(separator: " ")): \($0)" }
    }
    return (leaks, statuses)
  }

  @Test(arguments: TokenWay.allCases)
  func everyCommandThatSucceeds(_ way: TokenWay) throws {
    try withEmulator { emulator in
      try world(emulator)
      let sandbox = try SecretSandbox()
      try artifacts(emulator, sandbox: sandbox)
      let (leaks, statuses) = try run(commands(emulator), way, sandbox, environment(emulator))
      #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
      // doctor cannot tell a job token's permissions and says so with exit 0 all the same.
      #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses)")
      let link = try #require(emulator.links(projectID: 20, tag: "v1.7.0").first)
      let (more, moreStatuses) = try run(
        [
          ["links", "get", "\(link.id)"], ["links", "update", "\(link.id)", "--name", "renamed"],
          ["links", "delete", "\(link.id)"],
        ], way, sandbox, environment(emulator))
      #expect(more.isEmpty, "\(more.joined(separator: "\n"))")
      #expect(moreStatuses.allSatisfy { $0 == 0 }, "\(moreStatuses)")
    }
  }

  /// 401 (a token GitLab does not know: the job has ended), 403 (a guest may not write), 404 (no
  /// such release).
  @Test(arguments: TokenWay.allCases)
  func refusalsOfTheTokenAndMissingThings(_ way: TokenWay) throws {
    try withEmulator { emulator in
      emulator.addProject(id: 20, path: "mynamespace/hello")
      emulator.addRelease(projectID: 20, tag: "v1.7.0")
      let sandbox = try SecretSandbox()
      let unknown = try run(commands(emulator), way, sandbox, environment(emulator))
      #expect(unknown.leaks.isEmpty, "\(unknown.leaks.joined(separator: "\n"))")
      #expect(unknown.statuses.filter { $0 == 77 }.count >= 8, "\(unknown.statuses)")
    }
    try withEmulator { emulator in
      try world(emulator, role: .guest)
      let sandbox = try SecretSandbox()
      try artifacts(emulator, sandbox: sandbox)
      let guest = try run(commands(emulator), way, sandbox, environment(emulator))
      #expect(guest.leaks.isEmpty, "\(guest.leaks.joined(separator: "\n"))")
      #expect(guest.statuses.contains(77), "\(guest.statuses)")
      let missing = try run(commands(emulator), way, sandbox, environment(emulator, tag: "v9.9.9"))
      #expect(missing.leaks.isEmpty, "\(missing.leaks.joined(separator: "\n"))")
      #expect(missing.statuses.contains(1), "\(missing.statuses)")
    }
  }

  /// 429, 500, 502, a reset, a timeout and a cut JSON body on the first request of each command.
  @Test(arguments: TokenWay.allCases)
  func faultsOfTheServer(_ way: TokenWay) throws {
    let faults: [(String, ScriptedFault)] = [
      ("429", .tooManyRequests(retryAfter: "0")),
      ("500", .status(500, body: "{\"message\":\"500 Internal Server Error\"}")),
      (
        "502",
        .status(
          502, body: "<html><h1>502 Bad Gateway</h1></html>",
          headers: [("Content-Type", "text/html")])
      ),
      ("reset", .resetBeforeHandling), ("timeout", .delay(milliseconds: 1500)),
      ("invalid JSON", .malformedBody),
    ]
    let firstRequests = [
      ("GET", "/releases/v1.7.0"), ("GET", "/assets/links"), ("GET", "/user"),
      ("GET", "/version"), ("GET", "/projects/20"), ("GET", "/jobs/687/artifacts"),
    ]
    try withEmulator { emulator in
      try world(emulator)
      let sandbox = try SecretSandbox()
      try artifacts(emulator, sandbox: sandbox)
      for (name, fault) in faults {
        let result = try run(
          commands(emulator), way, sandbox, environment(emulator),
          extra: ["--retries", "0", "--timeout", "0.5"]
        ) {
          for (method, suffix) in firstRequests {
            emulator.script(method: method, pathSuffix: suffix, [fault])
          }
        }
        #expect(result.leaks.isEmpty, "\(name): \(result.leaks.joined(separator: "\n"))")
        #expect(result.statuses.contains { $0 != 0 }, "\(name): \(result.statuses)")
      }
    }
  }
}
