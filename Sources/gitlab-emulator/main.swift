import ArgumentParser
import Dispatch
import GitLabEmulator

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `gitlab-emulator`: a local GitLab for the Release Links API, seeded from the command line.
struct GitLabEmulatorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gitlab-emulator",
    abstract: "Serve a local GitLab that answers the Release Links API as GitLab does.",
    discussion: """
      Projects are private: anonymous callers get GitLab's 404. The first line on standard output is
      `listening on http://HOST:PORT`; the emulator runs until SIGINT or SIGTERM and exits 0.

      Example:
        gitlab-emulator --project 24:group/app --release 24:v1.0 \\
          --private-token glpat-dev:24:developer --job-token ci-job:24

      Emulator routes: GET /-/emulator/stats ({"requests","writes","connections"}),
      DELETE /-/emulator/stats (reset), GET /-/emulator/links/PROJECT_ID/TAG (all links).
      """)

  @Option(help: "Address to listen on.")
  var host = "127.0.0.1"

  @Option(help: "Port to listen on (0 picks a free one).")
  var port = 0

  @Option(
    help: ArgumentHelp(
      "Host used in web URLs (default: the emulator's own base URL).", valueName: "URL"))
  var serverURL: String?

  @Option(
    name: .customLong("project"),
    help: ArgumentHelp(
      "A project: its id and full path, optionally the ids (comma-separated) whose job tokens may reach it.",
      valueName: "ID:PATH[:ALLOWED_IDS]"))
  var projects: [String] = []

  @Option(
    name: .customLong("release"),
    help: ArgumentHelp("A release of a project.", valueName: "ID:TAG"))
  var releases: [String] = []

  @Option(
    name: .customLong("protected-tag"),
    help: ArgumentHelp(
      "A protected tag: only maintainers may write its release and links.", valueName: "ID:TAG"))
  var protectedTags: [String] = []

  @Option(
    name: .customLong("private-token"),
    help: ArgumentHelp(
      "A personal access token with a role (guest, reporter, developer, maintainer) in a project; scopes default to api.",
      valueName: "TOKEN:ID:ROLE[:SCOPES]"))
  var privateTokens: [String] = []

  @Option(
    name: .customLong("job-token"),
    help: ArgumentHelp(
      "A CI/CD job token of a running job of a project.", valueName: "TOKEN:ID[:JOB_ID]"))
  var jobTokens: [String] = []

  @Option(
    name: .customLong("artifacts"),
    help: ArgumentHelp(
      "A job's artifacts archive, served from this file.", valueName: "ID:JOB_ID:FILE"))
  var artifacts: [String] = []

  @Option(name: .customLong("latency-ms"), help: "Latency added before every API answer.")
  var latencyMilliseconds = 0

  func validate() throws {
    _ = try seeds()
    guard (0...65_535).contains(port) else {
      throw ValidationError("--port must be between 0 and 65535, not \(port).")
    }
    guard latencyMilliseconds >= 0 else {
      throw ValidationError("--latency-ms must be 0 or more, not \(latencyMilliseconds).")
    }
  }

  func run() throws {
    let signals = TerminationSignals()
    let emulator = GitLabEmulator(serverURL: serverURL, latencyMilliseconds: latencyMilliseconds)
    try seeds().apply(to: emulator)
    do {
      try emulator.start(host: host, port: port)
    } catch {
      FileHandleOutput.standardError("gitlab-emulator: cannot listen on \(host):\(port): \(error)")
      throw ExitCode(1)
    }
    print("listening on \(emulator.baseURL)")
    // Whoever started us waits for this line; stdout may be a pipe, so flush it now.
    fflush(nil)
    signals.wait()
    try emulator.shutdown()
  }

  private func seeds() throws -> Seeds {
    var seeds = Seeds()
    for value in projects {
      let parts = value.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count >= 2, let id = Int(parts[0]), !parts[1].isEmpty else {
        throw ValidationError(
          "--project expects ID:PATH[:ALLOWED_IDS] (e.g. 24:group/app), not '\(value)'.")
      }
      var allowlist: [Int] = []
      if parts.count == 3 {
        for item in parts[2].split(separator: ",") {
          guard let allowed = Int(item) else {
            throw ValidationError("--project '\(value)': allowed project ids must be numbers.")
          }
          allowlist.append(allowed)
        }
      }
      seeds.projects.append((id, String(parts[1]), allowlist))
    }
    for value in releases {
      let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2, let id = Int(parts[0]), !parts[1].isEmpty else {
        throw ValidationError("--release expects ID:TAG (e.g. 24:v1.0), not '\(value)'.")
      }
      guard seeds.projects.contains(where: { $0.0 == id }) else {
        throw ValidationError(
          "--release '\(value)': no project \(id); add it with --project \(id):GROUP/NAME.")
      }
      seeds.releases.append((id, String(parts[1])))
    }
    for value in protectedTags {
      let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2, let id = Int(parts[0]), !parts[1].isEmpty else {
        throw ValidationError("--protected-tag expects ID:TAG (e.g. 24:v1.0), not '\(value)'.")
      }
      seeds.protectedTags.append((id, String(parts[1])))
    }
    for value in privateTokens {
      let parts = value.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
      guard parts.count >= 3, !parts[0].isEmpty, let id = Int(parts[1]) else {
        throw ValidationError(
          "--private-token expects TOKEN:ID:ROLE[:SCOPES] (e.g. glpat-x:24:developer), not the value given."
        )
      }
      guard let role = ProjectRole(rawValue: String(parts[2])) else {
        throw ValidationError(
          "--private-token role must be guest, reporter, developer or maintainer, not '\(parts[2])'."
        )
      }
      let scopes = parts.count == 4 ? parts[3].split(separator: ",").map(String.init) : ["api"]
      seeds.privateTokens.append((String(parts[0]), id, role, scopes))
    }
    for value in jobTokens {
      let parts = value.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count >= 2, !parts[0].isEmpty, let id = Int(parts[1]),
        parts.count == 2 || Int(parts[2]) != nil
      else {
        throw ValidationError(
          "--job-token expects TOKEN:ID[:JOB_ID] (e.g. ci-job:24), not the value given.")
      }
      seeds.jobTokens.append((String(parts[0]), id, parts.count == 3 ? Int(parts[2]) ?? 1 : 1))
    }
    for value in artifacts {
      let parts = value.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count == 3, let id = Int(parts[0]), let job = Int(parts[1]), !parts[2].isEmpty
      else {
        throw ValidationError(
          "--artifacts expects ID:JOB_ID:FILE (e.g. 24:7:artifacts.zip), not '\(value)'.")
      }
      let path = String(parts[2])
      guard access(path, R_OK) == 0 else {
        throw ValidationError("--artifacts: cannot read '\(path)'.")
      }
      seeds.artifacts.append((id, job, path))
    }
    return seeds
  }

  /// Catches SIGINT and SIGTERM from now on; `wait()` returns once one arrives. Installed before
  /// the first line is printed, so a signal sent right after reading it is never lost.
  private final class TerminationSignals {
    private let done = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []

    init() {
      for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler { [done] in done.signal() }
        source.resume()
        sources.append(source)
      }
    }

    func wait() {
      done.wait()
      for source in sources { source.cancel() }
    }
  }
}

/// What the command line asks the emulator to hold.
private struct Seeds {
  var projects: [(Int, String, [Int])] = []
  var releases: [(Int, String)] = []
  var protectedTags: [(Int, String)] = []
  var privateTokens: [(String, Int, ProjectRole, [String])] = []
  var jobTokens: [(String, Int, Int)] = []
  var artifacts: [(Int, Int, String)] = []

  func apply(to emulator: GitLabEmulator) {
    for (id, path, allowlist) in projects {
      emulator.addProject(id: id, path: path, jobTokenAllowlist: allowlist)
    }
    for (id, tag) in releases { emulator.addRelease(projectID: id, tag: tag) }
    for (id, tag) in protectedTags { emulator.protectTag(projectID: id, tag: tag) }
    // One token may be given a role in several projects.
    var tokens: [String: ([Int: ProjectRole], [String])] = [:]
    for (token, id, role, scopes) in privateTokens {
      var entry = tokens[token] ?? ([:], scopes)
      entry.0[id] = role
      tokens[token] = entry
    }
    for (token, entry) in tokens {
      emulator.addPrivateToken(token, roles: entry.0, scopes: entry.1)
    }
    for (token, id, job) in jobTokens { emulator.addJobToken(token, projectID: id, jobID: job) }
    for (id, job, path) in artifacts {
      emulator.setArtifacts(projectID: id, jobID: job, fileAt: path)
    }
  }
}

private enum FileHandleOutput {
  static func standardError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
  }
}

GitLabEmulatorCommand.main()
