extension GitLabEmulator {

  /// Latency added before every API answer from now on.
  public func setLatency(milliseconds: Int) {
    core.state.withLock { $0.latencyMilliseconds = max(0, milliseconds) }
  }

  /// Queues faults for requests with this method whose raw path (percent-encoded, without the
  /// query) ends with `pathSuffix`: each matching request takes the next fault, first in first
  /// out, until the queue is empty. Queues for the same method and suffix are joined.
  public func script(method: String, pathSuffix: String, _ faults: [ScriptedFault]) {
    core.state.withLock { state in
      if let index = state.faultScripts.firstIndex(where: {
        $0.method.uppercased() == method.uppercased() && $0.pathSuffix == pathSuffix
      }) {
        state.faultScripts[index].faults += faults
      } else {
        state.faultScripts.append(
          FaultScript(method: method.uppercased(), pathSuffix: pathSuffix, faults: faults))
      }
    }
  }

  /// From now on, every API request no script claims gets a fault drawn from `rates` by a
  /// generator seeded with `seed` (nil: none any more). The stats count them by kind.
  public func setRandomFaults(_ rates: RandomFaultRates?, seed: UInt64 = 0) {
    core.state.withLock { state in
      state.randomFaults = rates.map { RandomFaultInjector(rates: $0, seed: seed) }
    }
  }

  /// Stops the random faults; their counts stay in the stats.
  public func stopRandomFaults() {
    core.state.withLock { $0.randomFaults?.isActive = false }
  }

  /// The rates of the random faults in force, if any.
  public var randomFaultRates: RandomFaultRates? {
    core.state.withLock { $0.randomFaults?.rates }
  }

  /// Requests, writes and accepted connections since start or `resetStats()`.
  public var stats: EmulatorStats {
    core.state.withLock { state in
      var stats = state.stats
      stats.packageFiles = state.packages.files.count
      return stats
    }
  }

  /// Zeroes the counters and empties the request log.
  public func resetStats() {
    core.state.withLock {
      $0.stats = EmulatorStats()
      $0.requestLog = []
    }
  }

  /// Every API request so far, oldest first.
  public var requestLog: [LoggedRequest] { core.state.withLock { $0.requestLog } }
}
