import Synchronization

/// `release-linker verify`: fetches every link of the release as a person following it would, and
/// says which do not download.
public enum VerifyJob {
  /// Lists the release's links (with the token, or with none when `anonymous`), checks each, prints
  /// the report; 0 when every link downloads, 1 otherwise.
  public static func run(
    anonymous: Bool, json: Bool, configuration: Configuration, context: Context
  ) throws -> ExitStatus {
    let project = try configuration.project().value
    let tag = try configuration.tag().value
    let concurrency = try configuration.concurrency().value
    let connection =
      anonymous
      ? try context.anonymousConnection(configuration) : try context.connection(configuration)
    let client = ReleaseLinksClient(connection: connection, project: project, tag: tag)
    let checks = check(try client.list(), connection: connection, concurrency: concurrency)
    let style = TerminalStyle(environment: context.environment, isTerminal: context.sink.isTerminal)
    let report = VerifyReport(checks: checks, tag: tag, style: style)
    if json {
      context.sink.standardOutput(report.document(project: project.rawValue))
      context.sink.standardError(report.summary + "\n")
    } else {
      context.sink.standardOutput(report.text)
    }
    return report.failed > 0 ? .failures : .success
  }

  /// Checks `links`, up to `concurrency` at once, in their order.
  static func check(_ links: [ReleaseLink], connection: GitLabConnection, concurrency: Int)
    -> [LinkCheck]
  {
    let probe = ReleaseLinkProbe(connection: connection)
    let results = Locked<[LinkCheck?]>(.init(repeating: nil, count: links.count))
    let next = Atomic<Int>(0)
    BlockingWorkers.run(count: min(max(1, concurrency), links.count)) { _ in
      while true {
        let index = next.add(1, ordering: .relaxed).oldValue
        guard index < links.count else { return }
        let check = probe.check(links[index])
        results.withLock { $0[index] = check }
      }
    }
    return results.withLock { stored in
      stored.enumerated().map { index, check in
        check
          ?? LinkCheck(
            link: links[index], checkedURL: links[index].directAssetURL,
            result: .unreachable("Not checked."), httpStatus: nil)
      }
    }
  }
}
