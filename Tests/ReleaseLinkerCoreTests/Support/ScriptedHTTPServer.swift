import Foundation

/// A small HTTP server on loopback, written in Python and started for one test: it answers what the
/// emulator cannot (redirects to another host) and reports which credential headers reached it.
final class ScriptedHTTPServer {
  let port: Int
  private let process: Process
  private let directory: URL

  /// Starts `python3` with a handler whose `do_GET` body is `handler` (Python, indented 4 spaces,
  /// with `port` in scope and `reply(status, body, headers)` to answer).
  init(handler: String) throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("scripted-http-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let script = """
      import http.server, sys
      class Handler(http.server.BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"
          def log_message(self, *args):
              pass
          def reply(self, status, body, headers=()):
              data = body.encode()
              self.send_response(status)
              self.send_header("Content-Length", str(len(data)))
              for name, value in headers:
                  self.send_header(name, value)
              self.end_headers()
              self.wfile.write(data)
          def credentials(self):
              names = [k for k in self.headers.keys() if k.lower() in ("private-token", "job-token", "authorization")]
              return ",".join(names) or "none"
          def do_GET(self):
              port = self.server.server_port
      \(handler)
      server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
      print(server.server_port, flush=True)
      server.serve_forever()
      """
    let path = directory.appendingPathComponent("server.py")
    try script.write(to: path, atomically: true, encoding: .utf8)
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", path.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    var line = Data()
    while true {
      let byte = output.fileHandleForReading.readData(ofLength: 1)
      if byte.isEmpty || byte == Data([10]) { break }
      line.append(byte)
    }
    guard let port = Int(String(decoding: line, as: UTF8.self)) else {
      kill(process.processIdentifier, SIGKILL)
      throw ScriptedHTTPServerError.didNotStart
    }
    self.port = port
  }

  deinit {
    // SIGTERM may be blocked in the inherited signal mask; SIGKILL always ends the server.
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: directory)
  }
}

enum ScriptedHTTPServerError: Error {
  case didNotStart
}
