import Foundation
import GitLabEmulator
import Testing

/// TLS failures that cannot change on a retry end the run at once (69), each named.
extension TLSTests {
  @Test func plainHTTPBehindAnHTTPSURLFailsAtOnce() throws {
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addRelease(projectID: 24, tag: "v0.1")
      emulator.addPrivateToken(Self.token, roles: [24: .maintainer])
      let env = [
        "CI_API_V4_URL": emulator.apiURL.replacingOccurrences(of: "http://", with: "https://"),
        "CI_PROJECT_ID": "24", "CI_COMMIT_TAG": "v0.1", "GITLAB_TOKEN": Self.token,
      ]
      let result = try CLIRunner.run(["links", "list"], environment: env)
      #expect(result.status == 69, "\(result.allOutput)")
      #expect(result.stderr.contains("does not speak TLS"), "\(result.stderr)")
      #expect(!result.stderr.contains("retrying"))
      // One connection: the TLS hello the plain server could not read; no second attempt.
      #expect(emulator.stats.connections == 1, "\(emulator.stats)")
      #expect(emulator.stats.requests == 0)
    }
  }

  @Test func aCertificateForAnotherHostNameFailsAtOnceAndSaysSo() throws {
    let pki = try TestPKI(subjectAltName: "DNS:gitlab.example.com")
    try withEmulator { emulator in
      emulator.addProject(id: 24, path: "namespace/project")
      emulator.addRelease(projectID: 24, tag: "v0.1")
      emulator.addPrivateToken(Self.token, roles: [24: .maintainer])
      let port = try #require(URL(string: emulator.baseURL)?.port)
      let tunnel = try TLSTunnel(pki: pki, targetPort: port)
      let result = try CLIRunner.run(
        ["links", "list"],
        environment: [
          "CI_API_V4_URL": "https://127.0.0.1:\(tunnel.port)/api/v4", "CI_PROJECT_ID": "24",
          "CI_COMMIT_TAG": "v0.1", "GITLAB_TOKEN": Self.token,
          "CI_SERVER_TLS_CA_FILE": pki.caCertificate.path,
        ])
      #expect(result.status == 69, "\(result.allOutput)")
      #expect(result.stderr.contains("issued for another host name"), "\(result.stderr)")
      #expect(!result.stderr.contains("--ca-file"))
      #expect(!result.stderr.contains("retrying"))
      #expect(emulator.stats.requests == 0)
    }
  }
}
