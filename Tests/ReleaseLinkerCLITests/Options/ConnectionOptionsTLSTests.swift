import Foundation
import GitLabEmulator
import Testing

/// The emulator behind stunnel with a certificate from a CA made for the test: an untrusted server is
/// refused, and the CA is trusted when given through CI_SERVER_TLS_CA_FILE or an inline
/// ADDITIONAL_CA_CERT_BUNDLE.
@Suite(.serialized) struct TLSTests {
  static let token = "glpat-tls-5ecret"

  @Test func untrustedIsRefusedAndTheCAVariablesAreTrusted() throws {
    let pki = try TestPKI()
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addRelease(projectID: 24, tag: "v0.1")
      emulator.addPrivateToken(Self.token, roles: [24: .maintainer])
      emulator.addLink(projectID: 24, tag: "v0.1", name: "over-tls", url: "https://example.com/a")
      let emulatorPort = try #require(URL(string: emulator.baseURL)?.port)
      let tunnel = try TLSTunnel(pki: pki, targetPort: emulatorPort)
      let env = [
        "CI_API_V4_URL": "https://127.0.0.1:\(tunnel.port)/api/v4", "CI_PROJECT_ID": "24",
        "CI_COMMIT_TAG": "v0.1", "GITLAB_TOKEN": Self.token,
      ]

      let untrusted = try CLIRunner.run(["links", "list"], environment: env)
      #expect(untrusted.status == 69, "\(untrusted.allOutput)")
      #expect(untrusted.stderr.contains("not trusted"))
      #expect(untrusted.stderr.contains("CI_SERVER_TLS_CA_FILE"))
      // An unknown CA stays unknown: the first answer is final.
      #expect(!untrusted.stderr.contains("retrying"), "\(untrusted.stderr)")
      #expect(emulator.stats.requests == 0)

      var withFile = env
      withFile["CI_SERVER_TLS_CA_FILE"] = pki.caCertificate.path
      let viaFile = try CLIRunner.run(["links", "list"], environment: withFile)
      #expect(viaFile.status == 0, "\(viaFile.allOutput)")
      #expect(viaFile.stdout.contains("over-tls"))

      var inline = env
      inline["ADDITIONAL_CA_CERT_BUNDLE"] = try String(
        contentsOf: pki.caCertificate, encoding: .utf8)
      let viaInline = try CLIRunner.run(["links", "list"], environment: inline)
      #expect(viaInline.status == 0, "\(viaInline.allOutput)")
      #expect(viaInline.stdout.contains("over-tls"))

      let viaFlag = try CLIRunner.run(
        ["links", "list", "--ca-file", pki.caCertificate.path], environment: env)
      #expect(viaFlag.status == 0, "\(viaFlag.allOutput)")

      // Trusting another CA does not make this server trusted.
      let other = try TestPKI()
      var wrong = env
      wrong["CI_SERVER_TLS_CA_FILE"] = other.caCertificate.path
      let wrongCA = try CLIRunner.run(["links", "list"], environment: wrong)
      #expect(wrongCA.status == 69)
    }
  }
}

/// A CA and a server certificate for 127.0.0.1, made with `openssl` in a temporary folder.
struct TestPKI {
  let directory: URL
  var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
  var serverCertificate: URL { directory.appendingPathComponent("server.pem") }
  var serverKey: URL { directory.appendingPathComponent("server.key") }

  /// - Parameter subjectAltName: the names the server certificate is for.
  init(subjectAltName: String = "IP:127.0.0.1,DNS:localhost") throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("release-linker-pki-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try "subjectAltName=\(subjectAltName)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
      .write(to: directory.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
    try run([
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
      "-days", "2", "-subj", "/CN=release-linker test CA",
      "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ])
    try run([
      "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
      "-subj", "/CN=127.0.0.1",
    ])
    try run([
      "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
      "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
    ])
  }

  private func run(_ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl"] + arguments
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw TLSTestError.toolFailed("openssl \(arguments.joined(separator: " "))")
    }
  }
}

/// stunnel terminating TLS on a free loopback port and forwarding to `targetPort`.
final class TLSTunnel {
  let port: Int
  private let process: Process

  init(pki: TestPKI, targetPort: Int) throws {
    port = try Self.freePort()
    let config = pki.directory.appendingPathComponent("stunnel.conf")
    try """
    foreground = yes
    pid =
    debug = 3
    [gitlab]
    accept = 127.0.0.1:\(port)
    connect = 127.0.0.1:\(targetPort)
    cert = \(pki.serverCertificate.path)
    key = \(pki.serverKey.path)
    """.write(to: config, atomically: true, encoding: .utf8)
    process = Process()
    let candidates = ["/usr/bin/stunnel4", "/usr/bin/stunnel", "/usr/sbin/stunnel4"]
    guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else {
      throw TLSTestError.toolFailed("stunnel4 is not installed (scripts/setup.sh installs it)")
    }
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = [config.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Wait until stunnel listens (or gives up after a generous while on a loaded machine).
    for _ in 0..<300 {
      if Self.accepts(port: port) { return }
      if !process.isRunning { throw TLSTestError.toolFailed("stunnel exited") }
      usleep(50_000)
    }
    throw TLSTestError.toolFailed("stunnel did not start listening")
  }

  deinit {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  private static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
        bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
      }
    }
    guard bound else { throw TLSTestError.toolFailed("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  private static func accepts(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}

enum TLSTestError: Error, CustomStringConvertible {
  case toolFailed(String)
  var description: String {
    switch self {
    case .toolFailed(let what): "TLS test setup failed: \(what)"
    }
  }
}
