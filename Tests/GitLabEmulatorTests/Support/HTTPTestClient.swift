import Foundation

#if canImport(Glibc)
  import Glibc

  private func closeSocket(_ fd: Int32) { _ = Glibc.close(fd) }
  private func sendBytes(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
  }
#elseif canImport(Darwin)
  import Darwin

  private func closeSocket(_ fd: Int32) { _ = Darwin.close(fd) }
  private func sendBytes(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    Darwin.send(fd, pointer, count, 0)
  }
#endif

/// One HTTP response as read off the socket.
struct HTTPTestResponse: Sendable {
  var status: Int
  var headers: [(String, String)]
  var body: [UInt8]

  var text: String { String(decoding: body, as: UTF8.self) }

  func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  /// The body parsed as JSON (objects as dictionaries), for checks that do not depend on key order.
  var json: Any? {
    try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
  }

  /// The `id`s of a JSON array of objects, in order.
  var ids: [Int] { (json as? [[String: Any]])?.compactMap { $0["id"] as? Int } ?? [] }
}

enum HTTPTestError: Error, Equatable {
  case cannotConnect(String)
  /// The server closed (or reset) the connection before a complete response arrived.
  case connectionClosed(errno: Int32)
  case malformedResponse(String)
}

/// A plain HTTP/1.1 client over a POSIX socket: keeps its connection open between requests (so
/// tests can count connections) and reports a reset instead of hiding it.
final class HTTPTestConnection {
  private let fd: Int32
  private var buffer: [UInt8] = []
  let host: String
  let port: Int

  /// - Parameter baseURL: `http://127.0.0.1:PORT`
  init(baseURL: String) throws {
    guard let components = URLComponents(string: baseURL), let host = components.host,
      let port = components.port
    else { throw HTTPTestError.cannotConnect(baseURL) }
    self.host = host
    self.port = port
    #if canImport(Glibc)
      fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw HTTPTestError.cannotConnect(baseURL) }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, host, &address.sin_addr)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      closeSocket(fd)
      throw HTTPTestError.cannotConnect(baseURL)
    }
  }

  deinit { closeSocket(fd) }

  /// Sends one request and reads its response. `path` is sent exactly as given (raw).
  func send(
    _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
  ) throws -> HTTPTestResponse {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty || ["POST", "PUT"].contains(method) {
      head += "Content-Length: \(body.count)\r\n"
    }
    head += "\r\n"
    try writeAll(Array(head.utf8) + body)
    return try readResponse(hasBody: method != "HEAD")
  }

  /// Sends only a request's head, announcing a body of `contentLength` bytes for `sendBody`.
  func sendHead(
    _ method: String, _ path: String, headers: [(String, String)] = [], contentLength: Int
  ) throws {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "Content-Length: \(contentLength)\r\n\r\n"
    try writeAll(Array(head.utf8))
  }

  func sendBody(_ bytes: [UInt8]) throws {
    try writeAll(bytes)
  }

  /// Reads the next response; `consume`, when given, takes the body a piece at a time instead
  /// of it being kept (for bodies too large to hold), and the response's `body` stays empty.
  func receive(consume: ((ArraySlice<UInt8>) -> Void)? = nil) throws -> HTTPTestResponse {
    try readResponse(hasBody: true, consume: consume)
  }

  /// Whether the server has closed this connection (a read sees end of file or a reset).
  func isClosedByServer() -> Bool {
    var byte: UInt8 = 0
    let count = recv(fd, &byte, 1, 0)
    return count <= 0
  }

  private func writeAll(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes {
        sendBytes(fd, $0.baseAddress, $0.count)
      }
      guard written > 0 else { throw HTTPTestError.connectionClosed(errno: errno) }
      offset += written
    }
  }

  private func fill() throws {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { throw HTTPTestError.connectionClosed(errno: count == 0 ? 0 : errno) }
    buffer.append(contentsOf: chunk[0..<count])
  }

  private func readResponse(
    hasBody: Bool = true, consume: ((ArraySlice<UInt8>) -> Void)? = nil
  ) throws -> HTTPTestResponse {
    while true {
      let separator: [UInt8] = [13, 10, 13, 10]
      var end: Int?
      while end == nil {
        end = buffer.firstRange(of: separator)?.lowerBound
        if end == nil { try fill() }
      }
      guard let headerEnd = end else { throw HTTPTestError.malformedResponse("no header end") }
      let headText = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
      buffer.removeFirst(headerEnd + 4)
      let lines = headText.components(separatedBy: "\r\n")
      let statusParts = lines[0].split(separator: " ")
      guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
        throw HTTPTestError.malformedResponse(lines[0])
      }
      var headers: [(String, String)] = []
      for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers.append((String(line[..<colon]), value))
      }
      // An interim 100 Continue precedes the real answer.
      if (100..<200).contains(status) { continue }
      let declared =
        headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
      // A HEAD answer states the length of a body it does not send.
      let length = hasBody ? declared : 0
      if let consume {
        var left = length
        while left > 0 {
          if buffer.isEmpty { try fill() }
          let piece = min(left, buffer.count)
          consume(buffer[0..<piece])
          buffer.removeFirst(piece)
          left -= piece
        }
        return HTTPTestResponse(status: status, headers: headers, body: [])
      }
      while buffer.count < length { try fill() }
      let body = Array(buffer[0..<length])
      buffer.removeFirst(length)
      return HTTPTestResponse(status: status, headers: headers, body: body)
    }
  }
}

/// One-shot requests on a fresh connection each.
enum HTTP {
  static func request(
    _ baseURL: String, _ method: String, _ path: String, headers: [(String, String)] = [],
    body: [UInt8] = []
  ) throws -> HTTPTestResponse {
    try HTTPTestConnection(baseURL: baseURL).send(method, path, headers: headers, body: body)
  }

  /// A form-encoded body of `pairs`, percent-encoded as curl's `--data-urlencode` does.
  static func form(_ pairs: [(String, String)]) -> [UInt8] {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let text = pairs.map { key, value in
      let encodedKey = key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
      let encodedValue = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
      return "\(encodedKey)=\(encodedValue)"
    }.joined(separator: "&")
    return Array(text.utf8)
  }

  static let formHeader = ("Content-Type", "application/x-www-form-urlencoded")
  static let jsonHeader = ("Content-Type", "application/json")
}
