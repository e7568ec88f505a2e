import NIOCore
import NIOHTTP1

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing answers: the head, then the body from memory, or from a file a chunk at a time, each
/// one only when the client has taken the previous.
extension RequestHandler {
  func act(
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
    if response.sendsBody {
      switch response.body {
      case .bytes: break
      case .file(let path, let offset, let length):
        reader = FileSliceReader(path: path, offset: offset, length: length)
        if reader == nil { response = .message(404, "404 Not found") }
      case .deflated(let path, let offset, let compressedLength, _):
        reader = InflatingReader(path: path, offset: offset, compressedLength: compressedLength)
        if reader == nil { response = .message(404, "404 Not found") }
      }
    }

    var headers = HTTPHeaders()
    for (name, value) in response.headers { headers.add(name: name, value: value) }
    let length = response.body.length
    // A 204 has no body, and says nothing of one (RFC 9110 §8.6).
    if response.status != 204 {
      headers.replaceOrAdd(name: "Content-Length", value: String(length))
    }
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
    if response.sendsBody, case .bytes(let bytes) = response.body {
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
