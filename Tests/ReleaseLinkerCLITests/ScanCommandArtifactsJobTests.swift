import Foundation
import GitLabEmulator
import Testing

@Suite(.serialized) struct ScanArtifactsJobTests {
  private func seed(_ emulator: GitLabEmulator, archive: String) {
    emulator.addProject(id: 20, path: "mynamespace/hello")
    emulator.addJobToken("job-token-secret", projectID: 20, jobID: 700)
    emulator.setArtifacts(projectID: 20, jobID: 688, fileAt: archive)
  }

  @Test func downloadsTheJobsArchiveScansItAndRemovesTheCopy() throws {
    let fixture = try ScanFixture()
    try fixture.write("src/bin/app.deb", "deb")
    try fixture.write("src/docs/read me.md", "docs")
    try fixture.tool(["zip", "-qr", "../artifacts.zip", "."], in: "src")
    try FileManager.default.createDirectory(
      at: fixture.url("tmp"), withIntermediateDirectories: true)
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("artifacts.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job", "688", "-o", "json"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20", "CI_JOB_ID": "700",
          "CI_JOB_TOKEN": "job-token-secret", "TMPDIR": fixture.url("tmp").path,
        ])
      #expect(result.status == 0, "\(result.stderr)")
      let scanned = try ScannedLinks(result)
      #expect(Set(scanned.artifactPaths) == ["bin/app.deb", "docs/read me.md"])
      // The links point at the job whose artifacts they are, not at the running job.
      #expect(
        try scanned.link("bin/app.deb")["url"] as? String
          == "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/bin/app.deb")
      #expect(
        try scanned.link("bin/app.deb")["sha256"] as? String
          == (try fixture.sha256sum("src/bin/app.deb")))
      #expect(!result.allOutput.contains("job-token-secret"))
      #expect(emulator.requestLog.contains { $0.rawPath.hasSuffix("/jobs/688/artifacts") })
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.url("tmp").path)
      #expect(leftovers.isEmpty, "temporary copy left behind: \(leftovers)")
    }
  }

  @Test func entriesLinkToTheirJobAndLocalPathsToTheJobID() throws {
    let fixture = try ScanFixture()
    try fixture.write("src/a.bin", "a")
    try fixture.write("local/b.bin", "b")
    try fixture.tool(["bsdtar", "-czf", "../a.tgz", "."], in: "src")
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("a.tgz").path)
      for (flags, localJob) in [(["--job-id", "12"], "12"), ([], "700")] {
        let result = try fixture.run(
          ["scan", "local", "--artifacts-job", "688", "-o", "json"] + flags,
          environment: [
            "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20", "CI_JOB_ID": "700",
            "CI_JOB_TOKEN": "job-token-secret",
          ])
        #expect(result.status == 0, "\(result.stderr)")
        let scanned = try ScannedLinks(result)
        // The downloaded entry is a file of job 688's artifacts, whatever --job-id says.
        #expect(
          try scanned.link("a.bin")["url"] as? String
            == "https://gitlab.example.com/mynamespace/hello/-/jobs/688/artifacts/raw/a.bin")
        // A local file is one of the job --job-id (else CI_JOB_ID) names.
        #expect(
          try scanned.link("local/b.bin")["url"] as? String
            == "https://gitlab.example.com/mynamespace/hello/-/jobs/\(localJob)/artifacts/raw/local/b.bin",
          "\(flags)")
      }
    }
  }

  @Test func eachOfSeveralArtifactsJobsLinksItsEntriesToItself() throws {
    let fixture = try ScanFixture()
    try fixture.write("one/linux/app", "linux")
    try fixture.write("two/windows/app.exe", "windows")
    try fixture.write("docs/notes.txt", "notes")
    try fixture.tool(["zip", "-qr", "../one.zip", "."], in: "one")
    try fixture.tool(["zip", "-qr", "../two.zip", "."], in: "two")
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("one.zip").path)
      emulator.setArtifacts(projectID: 20, jobID: 689, fileAt: fixture.url("two.zip").path)
      let result = try fixture.run(
        [
          "scan", "docs", "--artifacts-job", "688", "--artifacts-job", "689", "--job-id", "12",
          "-o", "json",
        ],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20", "CI_JOB_ID": "700",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status == 0, "\(result.stderr)")
      let scanned = try ScannedLinks(result)
      let base = "https://gitlab.example.com/mynamespace/hello/-/jobs"
      #expect(
        try scanned.link("linux/app")["url"] as? String == "\(base)/688/artifacts/raw/linux/app")
      #expect(
        try scanned.link("windows/app.exe")["url"] as? String
          == "\(base)/689/artifacts/raw/windows/app.exe")
      #expect(
        try scanned.link("docs/notes.txt")["url"] as? String
          == "\(base)/12/artifacts/raw/docs/notes.txt")
      #expect(emulator.requestLog.filter { $0.rawPath.hasSuffix("/artifacts") }.count == 2)
    }
  }

  @Test(arguments: [[""], ["abc"], ["--job-id"]])
  func anEmptyOrNonNumericArtifactsJobIsAUsageError(value: [String]) throws {
    let fixture = try ScanFixture()
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("none.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job"] + value,
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status == 64, "\(result.stderr)")
      #expect(result.stderr.contains("--artifacts-job"))
      #expect(emulator.stats.requests == 0)
    }
  }

  @Test func aJobWithoutArtifactsIsNamedAndCreatingAReleaseIsNotSuggested() throws {
    let fixture = try ScanFixture()
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("none.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job", "999"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status == 1, "\(result.stderr)")
      #expect(result.stderr.contains("Job 999 has no artifacts archive"))
      #expect(!result.stderr.contains("--create-release"))
    }
  }

  @Test func corruptDownloadedArchiveIsADataErrorNamingTheJob() throws {
    let fixture = try ScanFixture()
    try fixture.write("broken.zip", "this is not a zip file at all, just text")
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("broken.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job", "688"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status == 65, "\(result.stderr)")
      #expect(result.stderr.contains("job 688"))
    }
  }

  @Test func missingJobIsNotADataError() throws {
    let fixture = try ScanFixture()
    try fixture.write("a.zip", "x")
    try withEmulator { emulator in
      seed(emulator, archive: fixture.url("a.zip").path)
      let result = try fixture.run(
        ["scan", "--artifacts-job", "999"],
        environment: [
          "CI_API_V4_URL": emulator.apiURL, "CI_PROJECT_ID": "20",
          "CI_JOB_TOKEN": "job-token-secret",
        ])
      #expect(result.status != 0 && result.status != 65, "\(result.status) \(result.stderr)")
      #expect(result.stderr.contains("404"))
      #expect(!result.allOutput.contains("job-token-secret"))
    }
  }
}
