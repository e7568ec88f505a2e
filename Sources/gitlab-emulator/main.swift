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
      Projects are private: anonymous callers get GitLab's 404. The first line
      on standard output is `listening on http://HOST:PORT`; the emulator runs
      until SIGINT or SIGTERM and exits 0.

      Example:
        gitlab-emulator --project 24:group/app --release 24:v1.0 \\
          --private-token glpat-dev:24:developer --job-token ci-job:24

      Besides the API it serves the web URLs that links point at:
        PROJECT/-/jobs/ID/artifacts/raw/PATH
        PROJECT/-/jobs/artifacts/REF/raw/PATH?job=NAME
        PROJECT/-/releases/TAG/downloads/PATH
        PROJECT/-/package_files/ID/download
      Random faults (a soak): --random-faults KIND=P,... gives each API request
      at most one fault, drawn with these probabilities by a generator seeded
      with --fault-seed (default 0):
        reset         the connection is reset on arrival; nothing is done
        unavailable   503 with an HTML page; nothing is done
        commit-reset  carried out (a write committed, an upload stored),
                      then the connection is reset: the answer is lost
        rate-limit    429 Retry later with Retry-After: 1; nothing is done
        slow          carried out and answered 200 to 500 ms late
        body-reset    package uploads only: reset part-way through the body
      Example:
        gitlab-emulator --project 24:group/app --job-token ci-job:24 \\
          --random-faults reset=0.05,unavailable=0.05,body-reset=0.05 \\
          --fault-seed 42
      At exit a line on standard error counts the faults injected per kind.

      A browser that is not signed in is sent to /users/sign_in. Generic
      package uploads are written to disk as they arrive (--storage-dir, by
      default a temporary folder removed at exit).

      Emulator routes:
        GET /-/emulator/stats         requests, writes, connections, uploads,
                                      uploaded_bytes, package_files, with
                                      --rate-limit throttled, and with
                                      --random-faults faults (per kind)
        DELETE /-/emulator/stats      zero the counters
        DELETE /-/emulator/random-faults  stop the random faults (their
                                      counts stay)
        GET /-/emulator/links/ID/TAG  every link of a release
        GET /-/emulator/packages/ID   every package file of a project
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
      "A CI/CD job token of a running job of a project; its user's role defaults to developer.",
      valueName: "TOKEN:ID[:JOB_ID[:ROLE]]"))
  var jobTokens: [String] = []

  @Option(
    name: .customLong("artifacts"),
    help: ArgumentHelp(
      "A job's artifacts archive, served from this file (and its files one by one when it is a zip).",
      valueName: "ID:JOB_ID:FILE"))
  var artifacts: [String] = []

  @Option(
    name: .customLong("milestone"),
    help: ArgumentHelp(
      "A milestone of a project, which releases may name by title.", valueName: "ID:TITLE"))
  var milestones: [String] = []

  @Option(
    name: .customLong("tag"),
    help: ArgumentHelp(
      "A tag of a project's repository. With a --tag or --branch a project's repository is modelled: a release then needs its tag, or a ref to create it from.",
      valueName: "ID:TAG"))
  var tags: [String] = []

  @Option(
    name: .customLong("branch"),
    help: ArgumentHelp(
      "A branch of a project's repository (main always exists in a modelled one).",
      valueName: "ID:NAME"))
  var branches: [String] = []

  @Option(
    name: .customLong("gitlab-version"),
    help: ArgumentHelp(
      "Behave as this GitLab version: before 15.9 links take filepath, and direct_asset_path is dropped unread.",
      valueName: "X.Y"))
  var gitLabVersion: String?

  @Option(
    name: .customLong("rate-limit"),
    help: ArgumentHelp(
      "Throttle API requests per token as GitLab.com does: RateLimit headers on every answer, 429 with Retry-After past the quota.",
      valueName: "N/SECONDS"))
  var rateLimit: String?

  @Option(
    name: .customLong("job"),
    help: ArgumentHelp(
      "A successful job known by ref and name, for the by-ref artifact URLs.",
      valueName: "ID:JOB_ID:REF:NAME"))
  var jobs: [String] = []

  @Option(
    name: .customLong("random-faults"),
    help: ArgumentHelp(
      "Faults drawn at random for API requests, with these probabilities (kinds: reset, unavailable, commit-reset, rate-limit, slow, body-reset).",
      valueName: "KIND=P,..."))
  var randomFaults: String?

  @Option(
    name: .customLong("fault-seed"),
    help: ArgumentHelp(
      "The seed of --random-faults' generator (default 0).", valueName: "N"))
  var faultSeed: String?

  @Option(name: .customLong("latency-ms"), help: "Latency added before every API answer.")
  var latencyMilliseconds = 0

  @Option(
    name: .customLong("package-max-file-size"),
    help: ArgumentHelp(
      "The largest generic package file an upload may store, in bytes (0: no limit).",
      valueName: "BYTES"))
  var packageMaxFileSize = 5 << 30

  @Option(
    name: .customLong("reject-duplicate-packages"),
    help: ArgumentHelp(
      "A project whose generic packages refuse a second file of the same name.",
      valueName: "ID"))
  var rejectingDuplicatePackages: [String] = []

  @Flag(
    name: .customLong("fail-concurrent-package-creation"),
    help: "Fail (500) the uploads that raced to create a package another upload created first.")
  var failConcurrentPackageCreation = false

  @Option(
    name: .customLong("storage-dir"),
    help: ArgumentHelp(
      "Where uploaded package files are written, and left (default: a temporary folder).",
      valueName: "DIR"))
  var storageDirectory: String?

  func validate() throws {
    _ = try seeds()
    guard (0...65_535).contains(port) else {
      throw ValidationError("--port must be between 0 and 65535, not \(port).")
    }
    guard latencyMilliseconds >= 0 else {
      throw ValidationError("--latency-ms must be 0 or more, not \(latencyMilliseconds).")
    }
    guard packageMaxFileSize >= 0 else {
      throw ValidationError(
        "--package-max-file-size must be 0 (no limit) or more, not \(packageMaxFileSize).")
    }
    if let storageDirectory {
      var info = stat()
      guard stat(storageDirectory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR,
        access(storageDirectory, W_OK) == 0
      else {
        throw ValidationError(
          "--storage-dir: '\(storageDirectory)' is not a folder it can write to.")
      }
    }
  }

  func run() throws {
    let signals = TerminationSignals()
    let emulator = GitLabEmulator(
      serverURL: serverURL, latencyMilliseconds: latencyMilliseconds,
      storageDirectory: storageDirectory)
    try seeds().apply(to: emulator)
    emulator.setPackageFileSizeLimit(bytes: packageMaxFileSize)
    emulator.failConcurrentPackageCreation(failConcurrentPackageCreation)
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
    if let line = Self.faultSummary(emulator) { FileHandleOutput.standardError(line) }
  }

  /// `gitlab-emulator: random faults injected: reset=N ... in N API requests`, for a soak to read
  /// after the run (the stats route says the same while it runs).
  private static func faultSummary(_ emulator: GitLabEmulator) -> String? {
    guard let rates = emulator.randomFaultRates else { return nil }
    let stats = emulator.stats
    let counts = RandomFaultKind.allCases.filter { rates.probability($0) > 0 }.map {
      "\($0.rawValue)=\(stats.faultsInjected[$0] ?? 0)"
    }
    return "gitlab-emulator: random faults injected: \(counts.joined(separator: " ")) in "
      + "\(stats.requests) requests"
  }

  private func seeds() throws -> EmulatorSeeds {
    var arguments = EmulatorSeeds.Arguments()
    arguments.projects = projects
    arguments.releases = releases
    arguments.protectedTags = protectedTags
    arguments.privateTokens = privateTokens
    arguments.jobTokens = jobTokens
    arguments.artifacts = artifacts
    arguments.milestones = milestones
    arguments.tags = tags
    arguments.branches = branches
    arguments.gitLabVersion = gitLabVersion
    arguments.rateLimit = rateLimit
    arguments.randomFaults = randomFaults
    arguments.faultSeed = faultSeed
    arguments.jobs = jobs
    arguments.rejectingDuplicatePackages = rejectingDuplicatePackages
    do {
      return try EmulatorSeeds(parsing: arguments)
    } catch {
      throw ValidationError(error.message)
    }
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

private enum FileHandleOutput {
  static func standardError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
  }
}

GitLabEmulatorCommand.main()
