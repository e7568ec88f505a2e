import NIOCore
import NIOHTTP1

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads one HTTP/1.1 request at a time from a keep-alive connection, lets the core decide, and
/// writes the answer (or resets the connection) when the decided delay has passed. A body read
/// from a file is sent a chunk at a time, each one only when the client has taken the previous.
final class RequestHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  /// Bodies are written in pieces of this size so a large archive never becomes one buffer.
  static let chunkSize = 1 << 18

  private let core: EmulatorCore
  private var head: HTTPRequestHead?
  private var body: [UInt8] = []
  /// The body being streamed to the client, and whether the connection stays open after it.
  private var sending: (reader: any BodyReader, keepAlive: Bool)?
  private var isPumping = false

  init(core: EmulatorCore) {
    self.core = core
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let requestHead):
      head = requestHead
      body = []
      if requestHead.headers["Expect"].contains(where: { $0.lowercased() == "100-continue" }) {
        let interim = HTTPResponseHead(version: requestHead.version, status: .continue)
        context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
      }
    case .body(var buffer):
      body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
    case .end:
      guard let requestHead = head else { return }
      head = nil
      let request = EmulatorRequest(
        method: requestHead.method.rawValue, uri: requestHead.uri,
        headers: requestHead.headers.map { ($0.name, $0.value) }, body: body)
      body = []
      let outcome = core.dispatch(request)
      let version = requestHead.version
      let keepAlive = requestHead.isKeepAlive
      if outcome.delayMilliseconds > 0 {
        context.eventLoop.assumeIsolated().scheduleTask(
          in: .milliseconds(Int64(outcome.delayMilliseconds))
        ) {
          self.act(outcome.action, version: version, keepAlive: keepAlive, context: context)
        }
      } else {
        act(outcome.action, version: version, keepAlive: keepAlive, context: context)
      }
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }

  private func act(
    _ action: DispatchOutcome.Action, version: HTTPVersion, keepAlive: Bool,
    context: ChannelHandlerContext
  ) {
    guard context.channel.isActive else { return }
    switch action {
    case .reset:
      // SO_LINGER 0 makes close() send RST: the client sees a reset, not an orderly end.
      _ = (context.channel as? SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
      context.close(promise: nil)
    case .respond(let response):
      write(response, version: version, keepAlive: keepAlive, context: context)
    }
  }

  private func write(
    _ response: EmulatorResponse, version: HTTPVersion, keepAlive: Bool,
    context: ChannelHandlerContext
  ) {
    var response = response
    var reader: (any BodyReader)?
    if case .file(let path, let offset, let length) = response.body {
      reader = FileSliceReader(path: path, offset: offset, length: length)
      if reader == nil { response = .message(404, "404 Not found") }
    }

    var headers = HTTPHeaders()
    for (name, value) in response.headers { headers.add(name: name, value: value) }
    let length: Int
    switch response.body {
    case .bytes(let bytes): length = bytes.count
    case .file(_, _, let size): length = reader == nil ? 0 : size
    }
    headers.replaceOrAdd(name: "Content-Length", value: String(length))
    headers.replaceOrAdd(name: "Date", value: Timestamps.httpDate(Timestamps.now()))
    if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
    let status = HTTPResponseStatus(statusCode: response.status)
    context.write(
      wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))),
      promise: nil)

    if let reader {
      sending = (reader, keepAlive)
      pump(context: context)
      return
    }
    if case .bytes(let bytes) = response.body {
      var offset = 0
      while offset < bytes.count {
        let end = min(bytes.count, offset + RequestHandler.chunkSize)
        let buffer = context.channel.allocator.buffer(bytes: bytes[offset..<end])
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        offset = end
      }
    }
    finish(keepAlive: keepAlive, context: context)
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    if context.channel.isWritable { pump(context: context) }
    context.fireChannelWritabilityChanged()
  }

  func channelInactive(context: ChannelHandlerContext) {
    sending?.reader.close()
    sending = nil
    context.fireChannelInactive()
  }

  /// Sends chunks of the streamed body while the channel takes them; called again when it becomes
  /// writable. A flush may report writability from inside the loop, hence the guard.
  private func pump(context: ChannelHandlerContext) {
    guard !isPumping else { return }
    isPumping = true
    defer { isPumping = false }
    while let current = sending, context.channel.isWritable {
      var buffer = context.channel.allocator.buffer(capacity: RequestHandler.chunkSize)
      let count: Int
      do {
        count = try current.reader.read(into: &buffer, limit: RequestHandler.chunkSize)
      } catch {
        // The status is already sent: all that is left is to cut the body short.
        current.reader.close()
        sending = nil
        context.close(promise: nil)
        return
      }
      guard count > 0 else {
        current.reader.close()
        sending = nil
        finish(keepAlive: current.keepAlive, context: context)
        return
      }
      context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }
  }

  private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
    guard !keepAlive else {
      context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
      return
    }
    let done = context.eventLoop.makePromise(of: Void.self)
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
    let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
    done.futureResult.assumeIsolated().whenComplete { _ in
      loopBoundContext.value.close(promise: nil)
    }
  }
}
