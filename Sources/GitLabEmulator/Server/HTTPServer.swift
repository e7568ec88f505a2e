import NIOCore
import NIOHTTP1
import NIOPosix

/// The listening socket and its event loops, owned by one running emulator.
struct ServerRuntime: Sendable {
  var group: MultiThreadedEventLoopGroup
  var channel: Channel
  var baseURL: String

  /// Binds, serving HTTP/1.1 with keep-alive; every accepted connection is counted.
  static func start(host: String, port: Int, core: EmulatorCore) throws -> ServerRuntime {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        core.countConnection()
        return channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(RequestHandler(core: core))
        }
      }
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .childChannelOption(.maxMessagesPerRead, value: 16)
    do {
      let channel = try bootstrap.bind(host: host, port: port).wait()
      guard let boundPort = channel.localAddress?.port else {
        throw EmulatorStartError(message: "The emulator bound \(host) but has no port.")
      }
      let hostPart = host.contains(":") ? "[\(host)]" : host
      return ServerRuntime(
        group: group, channel: channel, baseURL: "http://\(hostPart):\(boundPort)")
    } catch {
      try? group.syncShutdownGracefully()
      throw error
    }
  }

  func stop() throws {
    defer { try? group.syncShutdownGracefully() }
    try channel.close().wait()
  }
}

/// Why the emulator could not start or stop.
public struct EmulatorStartError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public var description: String { message }
}
