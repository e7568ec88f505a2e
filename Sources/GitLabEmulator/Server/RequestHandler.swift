import NIOCore
import NIOHTTP1

/// Reads one HTTP/1.1 request at a time from a keep-alive connection, asks the core what to do
/// when its head arrives and again when its body has, and writes the answer (or resets the
/// connection) once the decided delay has passed. An upload's body goes to disk part by part as
/// it arrives; other bodies are small and read whole.
final class RequestHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  /// Bodies are written in pieces of this size so a large archive never becomes one buffer.
  static let chunkSize = 1 << 18

  let core: EmulatorCore
  /// The request being read, from its head to its end.
  private var pending: PendingRequest?
  private var version = HTTPVersion.http1_1
  private var keepAlive = true
  private var body: [UInt8] = []
  private var sink: UploadSink?
  private var received = 0
  /// The answer went out before the body ended; what is left of the request is dropped.
  private var answeredEarly = false
  /// The body being streamed to the client, and whether the connection stays open after it.
  var sending: (reader: any BodyReader, keepAlive: Bool)?
  var isPumping = false

  init(core: EmulatorCore) {
    self.core = core
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head): begin(head, context: context)
    case .body(let part): receive(part, context: context)
    case .end: end(context: context)
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    sending?.reader.close()
    sending = nil
    if let pending {
      sink?.abort()
      sink = nil
      self.pending = nil
      core.abandon(pending)
    }
    context.fireChannelInactive()
  }

  private func begin(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
    let request = EmulatorRequest(
      method: head.method.rawValue, uri: head.uri,
      headers: head.headers.map { ($0.name, $0.value) }, body: [])
    let decided = core.begin(request)
    pending = decided
    version = head.version
    keepAlive = head.isKeepAlive
    body = []
    received = 0
    answeredEarly = false
    let expectsContinue = head.headers["Expect"].contains { $0.lowercased() == "100-continue" }
    switch decided.plan {
    case .buffer:
      break
    case .upload(let ticket):
      // A file that cannot be made leaves `sink` empty: the upload then fails at its end.
      sink = UploadSink(path: ticket.partPath, maximumSize: ticket.maximumSize)
    case .answer(let outcome):
      guard expectsContinue || outcome.isReset else { return }
      // The client waits for 100 Continue before it sends the body: answer now, and close.
      answeredEarly = true
      keepAlive = false
      schedule(outcome, context: context)
      return
    }
    if expectsContinue {
      let interim = HTTPResponseHead(version: head.version, status: .continue)
      context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
    }
  }

  private func receive(_ part: ByteBuffer, context: ChannelHandlerContext) {
    guard let pending, !answeredEarly else { return }
    received += part.readableBytes
    if let limit = pending.resetAfterBodyBytes, received >= limit {
      resetMidBody(pending, context: context)
      return
    }
    switch pending.plan {
    case .buffer: body.append(contentsOf: part.readableBytesView)
    case .upload: sink?.write(part)
    case .answer: break
    }
  }

  private func end(context: ChannelHandlerContext) {
    guard let pending else { return }
    guard !answeredEarly else {
      self.pending = nil
      return
    }
    if pending.resetAfterBodyBytes != nil {
      resetMidBody(pending, context: context)
      return
    }
    self.pending = nil
    let outcome: DispatchOutcome
    switch pending.plan {
    case .buffer:
      outcome = core.finish(pending, body: body)
      body = []
    case .upload(let ticket):
      let upload =
        sink?.finish()
        ?? ReceivedUpload(size: received, sha256: "", exceededLimit: false, failed: true)
      sink = nil
      outcome = core.commit(pending, ticket, upload)
    case .answer(let decided):
      outcome = decided
    }
    schedule(outcome, context: context)
  }

  /// A scripted reset while the body arrives: nothing is kept of it.
  private func resetMidBody(_ pending: PendingRequest, context: ChannelHandlerContext) {
    sink?.abort()
    sink = nil
    body = []
    self.pending = nil
    core.abandon(pending)
    act(.reset, version: version, keepAlive: false, context: context)
  }

  private func schedule(_ outcome: DispatchOutcome, context: ChannelHandlerContext) {
    let version = version
    let keepAlive = keepAlive
    guard outcome.delayMilliseconds > 0 else {
      act(outcome.action, version: version, keepAlive: keepAlive, context: context)
      return
    }
    context.eventLoop.assumeIsolated().scheduleTask(
      in: .milliseconds(Int64(outcome.delayMilliseconds))
    ) {
      self.act(outcome.action, version: version, keepAlive: keepAlive, context: context)
    }
  }
}
