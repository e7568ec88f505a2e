/// A local GitLab that answers the Release Links API (and the few endpoints around it) as GitLab
/// does, over real HTTP on loopback, with scripted faults and counters for tests and benchmarks.
///
/// Every project is private: anonymous callers get GitLab's 404. Seed projects, releases and
/// tokens, `start()`, point a client at `apiURL`, and `shutdown()` (or use `withEmulator`).
public final class GitLabEmulator: Sendable {
  let core: EmulatorCore
  private let runtime = Locked<ServerRuntime?>(nil)

  /// - Parameters:
  ///   - serverURL: the host used in web URLs (`direct_asset_url`); defaults to `baseURL`.
  ///   - latencyMilliseconds: added before every API answer.
  ///   - storageDirectory: where uploaded package files are written (and left). By default a
  ///     folder made in `TMPDIR` at the first upload, removed with what it holds at `shutdown()`.
  public init(
    serverURL: String? = nil, latencyMilliseconds: Int = 0, storageDirectory: String? = nil
  ) {
    core = EmulatorCore(
      serverURL: serverURL, latencyMilliseconds: latencyMilliseconds,
      storageDirectory: storageDirectory)
  }

  deinit {
    core.state.withLock { $0.storage.removeOwned() }
  }

  /// Starts listening (port 0 picks a free port; read it from `baseURL`).
  public func start(host: String = "127.0.0.1", port: Int = 0) throws {
    try runtime.withLock { runtime in
      guard runtime == nil else {
        throw EmulatorStartError(message: "The emulator is already running.")
      }
      let started = try ServerRuntime.start(host: host, port: port, core: core)
      core.state.withLock { $0.baseURL = started.baseURL }
      runtime = started
    }
  }

  /// Stops listening and closes every connection, then removes the uploaded files of a storage
  /// folder it made itself. Stopping a stopped emulator does nothing.
  public func shutdown() throws {
    let running = runtime.withLock { runtime -> ServerRuntime? in
      defer { runtime = nil }
      return runtime
    }
    defer { core.state.withLock { $0.storage.removeOwned() } }
    try running?.stop()
  }

  /// `http://127.0.0.1:PORT` once started, empty before.
  public var baseURL: String { core.state.withLock { $0.baseURL } }

  /// The API root clients use: `baseURL` + `/api/v4`.
  public var apiURL: String { baseURL + "/api/v4" }
}

/// Runs `body` against a started emulator and always shuts it down, whatever `body` does.
public func withEmulator<T>(serverURL: String? = nil, _ body: (GitLabEmulator) throws -> T)
  throws -> T
{
  let emulator = GitLabEmulator(serverURL: serverURL)
  try emulator.start()
  defer { try? emulator.shutdown() }
  return try body(emulator)
}
