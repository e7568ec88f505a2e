#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The state behind its mutex, and the entry points the network side calls: `begin` when a
/// request's head arrives, then `finish` (a body read whole) or `commit` (an upload on disk), or
/// `abandon` when the connection goes first. Each is one critical section.
final class EmulatorCore: Sendable {
  let state: Locked<EmulatorState>

  init(serverURL: String?, latencyMilliseconds: Int, storageDirectory: String?) {
    state = Locked(
      EmulatorState(
        serverURL: serverURL, latencyMilliseconds: latencyMilliseconds,
        storageDirectory: storageDirectory))
  }

  func countConnection() {
    state.withLock { $0.stats.connections += 1 }
  }

  /// Counts the request, takes its scripted fault and, for an upload, decides whether GitLab
  /// would take the body at all.
  func begin(_ head: EmulatorRequest) -> PendingRequest {
    state.withLock { state in
      if RouteTable.isControl(rawPath: head.rawPath) {
        return PendingRequest(request: head, isControl: true, fault: nil, plan: .buffer)
      }
      state.stats.requests += 1
      if head.isWrite { state.stats.writes += 1 }
      // Rack::Attack counts and refuses a request on its head, before the application (and any
      // proxy fault behind it) sees it.
      var throttleHeaders: [(String, String)] = []
      if var limiter = state.rateLimiter {
        let decision = limiter.count(caller: head.callerKey, now: Timestamps.now())
        state.rateLimiter = limiter
        if let refusal = decision.refusal {
          state.stats.throttled += 1
          let outcome = DispatchOutcome(
            action: .respond(refusal), delayMilliseconds: state.latencyMilliseconds)
          state.log(head, outcome)
          return PendingRequest(
            request: head, isControl: false, fault: nil, plan: .answer(outcome))
        }
        throttleHeaders = decision.headers
      }
      let uploadRoute = Router.uploadRoute(for: head)
      let fault =
        state.takeFault(method: head.method, rawPath: head.rawPath)
        ?? state.drawRandomFault(head, isUpload: uploadRoute != nil)
      var pending = PendingRequest(request: head, isControl: false, fault: fault, plan: .buffer)
      pending.throttleHeaders = throttleHeaders
      if case .resetDuringBody(let bytes) = fault { pending.resetAfterBodyBytes = max(0, bytes) }
      guard let (upload, context) = uploadRoute else { return pending }

      let latency = state.latencyMilliseconds
      switch fault {
      case .resetBeforeHandling?:
        pending.plan = .answer(DispatchOutcome(action: .reset, delayMilliseconds: 0))
      case .status?, .tooManyRequests?, .malformedBody?:
        let response = fault.flatMap(FaultResponses.answer) ?? .routeNotFound
        pending.plan = .answer(
          DispatchOutcome(action: .respond(response), delayMilliseconds: latency))
      case nil, .delay?, .resetAfterCommit?, .resetDuringBody?:
        do throws(Refusal) {
          pending.plan = .upload(try upload.authorize(context, &state))
        } catch {
          pending.plan = .answer(
            DispatchOutcome(action: .respond(error.response), delayMilliseconds: latency))
        }
      }
      if case .answer(let outcome) = pending.plan { state.log(head, outcome) }
      return pending
    }
  }

  /// Carries out a request whose body was read whole, unless its fault says otherwise.
  func finish(_ pending: PendingRequest, body: [UInt8]) -> DispatchOutcome {
    var request = pending.request
    request.body = body
    let outcome = state.withLock { state -> DispatchOutcome in
      if pending.isControl {
        return DispatchOutcome(
          action: .respond(Router.handle(request, state: &state)), delayMilliseconds: 0)
      }
      if case .answer(let outcome) = pending.plan { return outcome }
      var delay = state.latencyMilliseconds
      let action: DispatchOutcome.Action
      switch pending.fault {
      case nil:
        action = .respond(Router.handle(request, state: &state))
      case .delay(let milliseconds)?:
        delay += milliseconds
        action = .respond(Router.handle(request, state: &state))
      case .resetBeforeHandling?, .resetDuringBody?:
        delay = 0
        action = .reset
      case .resetAfterCommit?:
        _ = Router.handle(request, state: &state)
        action = .reset
      case let fault?:
        action = .respond(FaultResponses.answer(fault) ?? .routeNotFound)
      }
      let outcome = DispatchOutcome(
        action: Self.adding(pending.throttleHeaders, to: action), delayMilliseconds: max(0, delay))
      state.log(request, outcome)
      return outcome
    }
    return shaped(request, outcome)
  }

  /// Stores (or refuses) an upload whose body is on disk; the `.part` file never outlives it.
  func commit(_ pending: PendingRequest, _ ticket: UploadTicket, _ received: ReceivedUpload)
    -> DispatchOutcome
  {
    defer { unlink(ticket.partPath) }
    return state.withLock { state in
      var delay = state.latencyMilliseconds
      let response: EmulatorResponse
      if let (upload, context) = Router.uploadRoute(for: pending.request) {
        do throws(Refusal) {
          response = try upload.commit(context, ticket, received, &state)
        } catch {
          response = error.response
        }
      } else {
        response = .routeNotFound
      }
      var action = Self.adding(pending.throttleHeaders, to: .respond(response))
      switch pending.fault {
      case .delay(let milliseconds)?: delay += milliseconds
      case .resetAfterCommit?: action = .reset
      default: break
      }
      let outcome = DispatchOutcome(action: action, delayMilliseconds: max(0, delay))
      state.log(pending.request, outcome)
      return outcome
    }
  }

  /// The connection was reset (a scripted fault) or lost before the body ended: nothing is
  /// carried out, and the request is logged with status 0.
  func abandon(_ pending: PendingRequest) {
    if case .upload(let ticket) = pending.plan { unlink(ticket.partPath) }
    guard !pending.isControl else { return }
    if case .answer = pending.plan { return }
    state.withLock {
      $0.log(pending.request, DispatchOutcome(action: .reset, delayMilliseconds: 0))
    }
  }

  /// The rate limit's headers, which every answer of a throttled path carries.
  private static func adding(_ headers: [(String, String)], to action: DispatchOutcome.Action)
    -> DispatchOutcome.Action
  {
    guard !headers.isEmpty, case .respond(var response) = action else { return action }
    response.headers += headers
    return .respond(response)
  }

  /// A `HEAD` answer carries the headers of the `GET` answer, without its body; a file that
  /// honours ranges is cut to the one asked for.
  private func shaped(_ request: EmulatorRequest, _ outcome: DispatchOutcome) -> DispatchOutcome {
    guard case .respond(var response) = outcome.action else { return outcome }
    if response.acceptsRanges, response.status == 200 {
      response = ByteRange.apply(request.header("Range"), to: response)
    }
    if request.method == "HEAD" { response.sendsBody = false }
    return DispatchOutcome(action: .respond(response), delayMilliseconds: outcome.delayMilliseconds)
  }
}

/// A request whose head has arrived, with what was decided then, carried until its body ends.
struct PendingRequest: Sendable {
  enum Plan: Sendable {
    /// Read the body whole, then handle the request.
    case buffer
    /// Stream the body to the ticket's file, then commit it.
    case upload(UploadTicket)
    /// The answer is decided already; the body is read and dropped.
    case answer(DispatchOutcome)
  }

  /// The head; its body is empty.
  var request: EmulatorRequest
  /// The emulator's own routes: never counted, logged, delayed or faulted.
  var isControl: Bool
  var fault: ScriptedFault?
  var plan: Plan
  /// Reset the connection once this many body bytes have arrived (`.resetDuringBody`).
  var resetAfterBodyBytes: Int?
  /// The rate limit's headers for the answer (`--rate-limit`).
  var throttleHeaders: [(String, String)] = []
}

extension EmulatorState {
  fileprivate mutating func log(_ request: EmulatorRequest, _ outcome: DispatchOutcome) {
    let status: Int
    switch outcome.action {
    case .respond(let response): status = response.status
    case .reset: status = 0
    }
    requestLog.append(
      LoggedRequest(
        method: request.method, rawPath: request.rawPath,
        authHeaderNames: request.authHeaderNames, status: status,
        receivedAt: Timestamps.monotonicSeconds()))
  }
}
