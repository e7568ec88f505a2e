import Foundation
import GitLabEmulator
import Testing

/// GitLab may answer an artifacts download with a redirect to object storage on another host: the
/// download follows it, and the job token stays with GitLab.
@Suite(.serialized) struct ArtifactsRedirectTests {
  @Test func aRedirectToAnotherHostDropsTheToken() throws {
    let fixture = try ScanFixture()
    try fixture.write("src/bin/app.deb", "deb")
    _ = try fixture.tool(["zip", "-qr", "../artifacts.zip", "."], in: "src")
    let archive = try Data(contentsOf: fixture.url("artifacts.zip"))
    try withEmulator { emulator in
      emulator.addProject(id: 20, path: "mynamespace/hello")
      emulator.addJobToken("redirect-job-token", projectID: 20, jobID: 700)
      emulator.setStorageObject("job-688.zip", bytes: Array(archive))
      let port = try #require(URL(string: emulator.baseURL)?.port)
      // Same server, other host name: a different origin for the client.
      emulator.setArtifactsRedirect(
        projectID: 20, jobID: 688, location: "http://localhost:\(port)/object-storage/job-688.zip")
      let result = try fixture.run(
        ["scan", "--artifacts-job", "688", "-o", "json", "--verbose"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20", "CI_JOB_ID": "700",
          "CI_JOB_TOKEN": "redirect-job-token",
        ])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try ScannedLinks(result).artifactPaths == ["bin/app.deb"])
      let log = emulator.requestLog
      let api = try #require(log.first { $0.rawPath.hasSuffix("/jobs/688/artifacts") })
      let storage = try #require(log.first { $0.rawPath.hasPrefix("/object-storage/") })
      #expect(api.authHeaderNames == ["JOB-TOKEN"])
      #expect(api.status == 302)
      #expect(storage.authHeaderNames.isEmpty)
      #expect(storage.status == 200)
      #expect(!result.allOutput.contains("redirect-job-token"))
    }
  }
}
