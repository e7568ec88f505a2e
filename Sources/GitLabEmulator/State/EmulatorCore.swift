import Synchronization

/// The state behind its mutex, and the one entry point the network side calls per request.
final class EmulatorCore: Sendable {
  let state: Mutex<EmulatorState>

  init(serverURL: String?, latencyMilliseconds: Int) {
    state = Mutex(EmulatorState(serverURL: serverURL, latencyMilliseconds: latencyMilliseconds))
  }

  func countConnection() {
    state.withLock { $0.stats.connections += 1 }
  }

  /// Counts and logs the request, applies a scripted fault if one is queued for it, and carries it
  /// out unless the fault says otherwise — all in one critical section.
  func dispatch(_ request: EmulatorRequest) -> DispatchOutcome {
    state.withLock { state in
      if RouteTable.isControl(rawPath: request.rawPath) {
        return DispatchOutcome(
          action: .respond(Router.handle(request, state: &state)), delayMilliseconds: 0)
      }
      state.stats.requests += 1
      if request.isWrite { state.stats.writes += 1 }
      var delay = state.latencyMilliseconds
      let action: DispatchOutcome.Action
      switch state.takeFault(method: request.method, rawPath: request.rawPath) {
      case nil:
        action = .respond(Router.handle(request, state: &state))
      case .status(let code, let body, let headers):
        action = .respond(FaultResponses.status(code, body: body, headers: headers))
      case .tooManyRequests(let retryAfter):
        action = .respond(FaultResponses.tooManyRequests(retryAfter: retryAfter))
      case .delay(let milliseconds):
        delay += milliseconds
        action = .respond(Router.handle(request, state: &state))
      case .resetBeforeHandling:
        delay = 0
        action = .reset
      case .resetAfterCommit:
        _ = Router.handle(request, state: &state)
        action = .reset
      case .malformedBody:
        action = .respond(FaultResponses.malformedBody)
      }
      let status: Int
      switch action {
      case .respond(let response): status = response.status
      case .reset: status = 0
      }
      state.requestLog.append(
        LoggedRequest(
          method: request.method, rawPath: request.rawPath,
          authHeaderNames: request.authHeaderNames, status: status))
      return DispatchOutcome(action: action, delayMilliseconds: max(0, delay))
    }
  }
}
