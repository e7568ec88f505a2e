import Foundation

/// A small misbehaving HTTP server on loopback, in Python, started for one test: it answers what
/// GitLab never would (a token echoed back, endless listings, redirects to `file://`, HTTP/0.9,
/// trickling downloads) and logs every request it gets.
///
/// `handler` is the body of a Python function run for every request (any method), written without
/// indentation (it is indented into place). In scope: `self` (the `BaseHTTPRequestHandler`), `method`, `path` (without the
/// query), `query` (a dict of the first value of each parameter), `body` (bytes), `token` (the
/// `JOB-TOKEN` or `PRIVATE-TOKEN` sent, or ""), `port`, `STATE` (a dict kept across requests), and
/// `reply(status, body, headers=())` (JSON unless a Content-Type is given).
final class HostileServer {
  let port: Int
  private let process: Process
  private let directory: URL
  private let logFile: URL

  /// One request as the server received it.
  struct Hit: Decodable {
    var method: String
    var path: String
    var query: String
    var host: String
    /// Every header of the request, by name as sent (a repeated name keeps its last value).
    var headers: [String: String]
    /// The request's body, as text.
    var body: String
    /// Seconds on the server's monotonic clock.
    var time: Double
  }

  init(handler: String) throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("hostile-http-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    logFile = directory.appendingPathComponent("requests.jsonl")
    let body = handler.split(separator: "\n", omittingEmptySubsequences: false)
      .map { "            " + $0 }.joined(separator: "\n")
    let script = """
      import http.server, json, sys, time, threading, urllib.parse
      LOG = sys.argv[1]
      STATE = {}
      LOCK = threading.Lock()
      class Handler(http.server.BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"
          def log_message(self, *args):
              pass
          def reply(self, status, body, headers=()):
              data = body.encode() if isinstance(body, str) else body
              self.send_response(status)
              if not any(k.lower() == "content-type" for k, _ in headers):
                  self.send_header("Content-Type", "application/json")
              self.send_header("Content-Length", str(len(data)))
              for name, value in headers:
                  self.send_header(name, value)
              self.end_headers()
              self.wfile.write(data)
          def handle_any(self):
              port = self.server.server_port
              method = self.command
              path, _, raw_query = self.path.partition("?")
              query = {k: v[0] for k, v in urllib.parse.parse_qs(raw_query).items()}
              length = int(self.headers.get("Content-Length") or 0)
              body = self.rfile.read(length) if length else b""
              token = self.headers.get("JOB-TOKEN") or self.headers.get("PRIVATE-TOKEN") or ""
              reply = self.reply
              with LOCK:
                  with open(LOG, "a") as log:
                      log.write(json.dumps({"method": method, "path": path, "query": raw_query,
                          "host": self.headers.get("Host", ""), "headers": dict(self.headers.items()),
                          "body": body.decode("utf-8", "replace"), "time": time.monotonic()}) + "\\n")
              try:
      \(body)
              except (BrokenPipeError, ConnectionResetError):
                  self.close_connection = True
          do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any
      server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
      server.daemon_threads = True
      print(server.server_port, flush=True)
      server.serve_forever()
      """
    let path = directory.appendingPathComponent("server.py")
    try script.write(to: path, atomically: true, encoding: .utf8)
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", path.path, logFile.path]
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
      throw HostileServerError.didNotStart
    }
    self.port = port
  }

  deinit {
    // SIGTERM may be blocked in the inherited signal mask; SIGKILL always ends the server.
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: directory)
  }

  var apiURL: String { "http://127.0.0.1:\(port)/api/v4" }

  /// Every request so far, oldest first.
  var hits: [Hit] {
    guard let data = try? Data(contentsOf: logFile) else { return [] }
    return data.split(separator: UInt8(ascii: "\n")).compactMap {
      try? JSONDecoder().decode(Hit.self, from: Data($0))
    }
  }

  /// The environment of a release job of project 20, tag v1.0, pointed at this server.
  func environment(token: String, directory: URL, extra: [String: String] = [:]) -> [String: String]
  {
    var environment = [
      "CI_API_V4_URL": apiURL, "CI_PROJECT_ID": "20", "CI_COMMIT_TAG": "v1.0",
      "CI_PROJECT_URL": "https://gitlab.example.com/group/app", "CI_JOB_ID": "7",
      "CI_JOB_TOKEN": token, "CI_PROJECT_DIR": directory.path,
    ]
    environment.merge(extra) { $1 }
    return environment
  }
}

enum HostileServerError: Error {
  case didNotStart
}
