import Foundation
import GitLabEmulator
import Testing

/// `PUT`/`GET /projects/:id/packages/generic/:package_name/:package_version/:file_name`, as
/// lib/api/generic_packages.rb has them.
@Suite struct GenericPackageTests {
  static let generic = "/api/v4/projects/24/packages/generic"
  /// SHA-256 of "abc" and "def" (FIPS 180-2 example, and `printf def | sha256sum`).
  static let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
  static let def = "cb8379ac2098aa165029e3938a51da0bcecfc008fd6795f401178647f96c5b34"

  private func put(
    _ fixture: Fixture, _ path: String, _ body: [UInt8],
    _ headers: [(String, String)] = [Fixture.dev]
  ) throws -> HTTPTestResponse {
    try HTTP.request(fixture.emulator.baseURL, "PUT", path, headers: headers, body: body)
  }

  @Test func aDownloadGetsTheLatestFileOfThatNameWithItsChecksum() throws {
    try Fixture.run { fixture throws in
      let path = "\(Self.generic)/app/1.0/app.tar.gz"
      #expect(try put(fixture, path, Array("abc".utf8)).status == 201)
      let second = try put(fixture, path, Array("def".utf8))
      #expect(second.status == 201)
      #expect(second.text == #"{"message":"201 Created"}"#)
      let download = try fixture.get(path, [Fixture.job])
      #expect(download.status == 200)
      #expect(download.text == "def")
      #expect(download.header("Content-Type") == "application/octet-stream")
      #expect(download.header("X-Checksum-SHA256") == Self.def)
      #expect(
        download.header("Content-Disposition")?.hasPrefix(#"attachment; filename="app.tar.gz""#)
          == true)
      #expect(fixture.emulator.packageFiles.map(\.sha256) == [Self.abc, Self.def])
      #expect(fixture.emulator.packageFiles.map(\.packageID) == [1, 1])
      #expect(try fixture.get("\(Self.generic)/app/1.0/other.tar.gz").status == 404)
      #expect(
        try fixture.get("\(Self.generic)/app/2.0/app.tar.gz").text
          == #"{"message":"404 Not found"}"#)
    }
  }

  @Test func selectPackageFileAnswersTheStoredRecordWith200() throws {
    try Fixture.run { fixture throws in
      let response = try put(
        fixture, "\(Self.generic)/app/1.0/file.txt?select=package_file", Array("abc".utf8))
      #expect(response.status == 200)
      let record = try #require(response.json as? [String: Any])
      #expect(record["id"] as? Int == 1)
      #expect(record["package_id"] as? Int == 1)
      #expect(record["size"] as? Int == 3)
      #expect(record["file_name"] as? String == "file.txt")
      #expect(record["file_sha256"] as? String == Self.abc)
      #expect(record["file_md5"] is NSNull)
      #expect(record["file_store"] as? Int == 1)
      // The hashed storage path of project 24 (`printf 24 | sha256sum`).
      let project = "c2356069e9d1e79ca924378153cfbbfb4d4416b1f99d41a2940bfdb66c5319db"
      #expect(
        (record["file"] as? [String: Any])?["url"] as? String
          == "/c2/35/\(project)/packages/1/files/1/file.txt")
      #expect(response.text.hasPrefix(#"{"id":1,"package_id":1,"created_at":""#))
    }
  }

  @Test(arguments: [
    ("my%20app/1.0/f.bin", "package_name is invalid"),
    ("app/1..0/f.bin", "package_version is invalid"),
    ("app/1.0/f%7Ebin", "file_name is invalid"),
    ("app/1.0/%2E%2E", "file_name should be a valid file path"),
    ("app/1.0/f.bin?status=public", "status does not have a valid value"),
    ("app/1.0/f.bin?select=package", "select does not have a valid value"),
    (
      "a%2Fb/1.0%2B1/f%20g?status=x",
      "package_name is invalid, file_name is invalid, status does not have a valid value"
    ),
  ])
  func badNamesVersionsAndOptionsAreParameterErrors(path: String, message: String) throws {
    try Fixture.run { fixture throws in
      let response = try put(fixture, "\(Self.generic)/\(path)", [1])
      #expect(response.status == 400)
      #expect(response.text == #"{"error":"\#(message)"}"#)
      #expect(fixture.emulator.packageFiles.isEmpty)
    }
  }

  @Test func whoMayUploadAndDownload() throws {
    try Fixture.run { fixture throws in
      let path = "\(Self.generic)/app/1.0/f.bin"
      // `authenticate_non_get!` comes before the parameters: anonymous uploads are 401s.
      #expect(try put(fixture, "\(Self.generic)/bad%20name/1.0/f.bin", [1], []).status == 401)
      #expect(try put(fixture, path, [1], [Fixture.finishedJob]).status == 401)
      #expect(try put(fixture, path, [1], [Fixture.reporter]).status == 403)
      #expect(try put(fixture, path, [1], [Fixture.readOnly]).text.contains("insufficient_scope"))
      let otherProject = try put(fixture, path, [1], [Fixture.otherProjectJob])
      #expect(otherProject.status == 403)
      #expect(fixture.emulator.packageFiles.isEmpty)
      #expect(try put(fixture, path, [1], [Fixture.job]).status == 201)

      #expect(try fixture.get(path, [Fixture.reporter]).body == [1])
      #expect(try fixture.get(path, [Fixture.guest]).status == 403)
      let anonymous = try fixture.get(path, [])
      #expect(anonymous.text == #"{"message":"404 Project Not Found"}"#)
    }
  }

  @Test func aFileOverTheLimitIsRefusedAndNothingIsKept() throws {
    let storage = FileManager.default.temporaryDirectory
      .appendingPathComponent("emulator-storage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: storage) }
    let emulator = GitLabEmulator(storageDirectory: storage.path)
    emulator.addProject(id: 24, path: "group/app")
    emulator.addPrivateToken("dev", roles: [24: .developer])
    emulator.setPackageFileSizeLimit(bytes: 1000)
    try emulator.start()
    defer { try? emulator.shutdown() }
    let dev = [("PRIVATE-TOKEN", "dev")]
    let over = try HTTP.request(
      emulator.baseURL, "PUT", "\(Self.generic)/app/1.0/big.bin", headers: dev,
      body: [UInt8](repeating: 1, count: 1001))
    #expect(over.status == 400)
    #expect(over.text == #"{"message":"400 Bad request - File is too large"}"#)
    #expect(try FileManager.default.contentsOfDirectory(atPath: storage.path).isEmpty)
    let fits = try HTTP.request(
      emulator.baseURL, "PUT", "\(Self.generic)/app/1.0/big.bin", headers: dev,
      body: [UInt8](repeating: 1, count: 1000))
    #expect(fits.status == 201)
    #expect(try FileManager.default.contentsOfDirectory(atPath: storage.path).count == 1)
    #expect(emulator.stats.uploads == 1)
    #expect(emulator.stats.uploadedBytes == 1000)
  }

  @Test func aProjectRejectingDuplicatesRefusesASecondFileOfTheSameName() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.rejectDuplicatePackages(projectID: 24)
      let path = "\(Self.generic)/app/1.0/f.bin"
      #expect(try put(fixture, path, [1]).status == 201)
      let again = try put(fixture, path, [2])
      #expect(again.status == 400)
      #expect(again.text == #"{"message":"400 Bad request - Duplicate package is not allowed"}"#)
      #expect(try put(fixture, "\(Self.generic)/app/1.0/g.bin", [3]).status == 201)
      #expect(try put(fixture, "\(Self.generic)/app/1.1/f.bin", [4]).status == 201)
      #expect(fixture.emulator.packageFiles.map(\.size) == [1, 1, 1])
      #expect(try fixture.get(path).body == [1])
      fixture.emulator.rejectDuplicatePackages(projectID: 24, false)
      #expect(try put(fixture, path, [5]).status == 201)
    }
  }

  @Test func concurrentFirstUploadsIntoANewPackageCanFailAsInGitLab() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.failConcurrentPackageCreation()
      let slow = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      try slow.sendHead(
        "PUT", "\(Self.generic)/app/1.0/linux.bin", headers: [Fixture.dev], contentLength: 4)
      try slow.sendBody([1, 2])
      try waitUntil { fixture.emulator.stats.requests == 1 }
      // A second first upload into the same new package finishes first and creates it.
      #expect(try put(fixture, "\(Self.generic)/app/1.0/darwin.bin", [9]).status == 201)
      try slow.sendBody([3, 4])
      let lost = try slow.receive()
      #expect(lost.status == 500)
      #expect(lost.text == #"{"message":"500 Internal Server Error"}"#)
      #expect(fixture.emulator.packageFiles.map(\.fileName) == ["darwin.bin"])
      // Once the package exists, the retry goes in.
      #expect(try put(fixture, "\(Self.generic)/app/1.0/linux.bin", [1, 2, 3, 4]).status == 201)
      #expect(fixture.emulator.packageFiles.map(\.fileName) == ["darwin.bin", "linux.bin"])
    }
  }

  @Test func withoutTheFaultConcurrentFirstUploadsBothArrive() throws {
    try Fixture.run { fixture throws in
      let slow = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      try slow.sendHead(
        "PUT", "\(Self.generic)/app/1.0/linux.bin", headers: [Fixture.dev], contentLength: 2)
      try slow.sendBody([1])
      try waitUntil { fixture.emulator.stats.requests == 1 }
      #expect(try put(fixture, "\(Self.generic)/app/1.0/darwin.bin", [9]).status == 201)
      try slow.sendBody([2])
      #expect(try slow.receive().status == 201)
      #expect(Set(fixture.emulator.packageFiles.map(\.packageID)) == [1])
    }
  }

  @Test func aResetInTheMiddleOfTheBodyKeepsNothing() throws {
    let storage = FileManager.default.temporaryDirectory
      .appendingPathComponent("emulator-storage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: storage) }
    let emulator = GitLabEmulator(storageDirectory: storage.path)
    emulator.addProject(id: 24, path: "group/app")
    emulator.addPrivateToken("dev", roles: [24: .developer])
    try emulator.start()
    defer { try? emulator.shutdown() }
    emulator.script(method: "PUT", pathSuffix: "/big.bin", [.resetDuringBody(afterBytes: 1 << 20)])
    let connection = try HTTPTestConnection(baseURL: emulator.baseURL)
    let path = "\(Self.generic)/app/1.0/big.bin"
    let size = 8 << 20
    try connection.sendHead("PUT", path, headers: [("PRIVATE-TOKEN", "dev")], contentLength: size)
    #expect(throws: HTTPTestError.self) {
      for _ in 0..<8 { try connection.sendBody([UInt8](repeating: 7, count: 1 << 20)) }
      _ = try connection.receive()
    }
    #expect(emulator.packageFiles.isEmpty)
    #expect(emulator.requestLog.last?.status == 0)
    #expect(emulator.stats.uploads == 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: storage.path).isEmpty)
    // The queue is spent: the retry arrives.
    let retry = try HTTP.request(
      emulator.baseURL, "PUT", path, headers: [("PRIVATE-TOKEN", "dev")],
      body: [UInt8](repeating: 7, count: size))
    #expect(retry.status == 201)
  }

  @Test func anUploadCommittedWhoseAnswerIsLostIsStored() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.rejectDuplicatePackages(projectID: 24)
      let path = "\(Self.generic)/app/1.0/f.bin"
      fixture.emulator.script(method: "PUT", pathSuffix: "/f.bin", [.resetAfterCommit])
      #expect(throws: HTTPTestError.self) { try put(fixture, path, Array("abc".utf8)) }
      #expect(fixture.emulator.packageFiles.map(\.sha256) == [Self.abc])
      #expect(fixture.emulator.requestLog.last?.status == 0)
      // A blind retry meets the file it already stored.
      #expect(try put(fixture, path, Array("abc".utf8)).status == 400)
    }
  }

  @Test func aRefusalGoesOutBeforeTheBodyWhenTheClientWaitsFor100Continue() throws {
    try Fixture.run { fixture throws in
      let connection = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      try connection.sendHead(
        "PUT", "\(Self.generic)/app/1.0/f.bin",
        headers: [Fixture.reporter, ("Expect", "100-continue")], contentLength: 1 << 20)
      let refused = try connection.receive()
      #expect(refused.status == 403)
      #expect(refused.header("Connection") == "close")
      #expect(connection.isClosedByServer())
    }
  }

  @Test func scriptedStatusesAnswerUploadsWithoutStoringThem() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.script(
        method: "PUT", pathSuffix: "/f.bin", [.status(503, body: "<html>busy</html>")])
      let connection = try HTTPTestConnection(baseURL: fixture.emulator.baseURL)
      let busy = try connection.send(
        "PUT", "\(Self.generic)/app/1.0/f.bin", headers: [Fixture.dev], body: [1, 2, 3])
      #expect(busy.status == 503)
      #expect(fixture.emulator.packageFiles.isEmpty)
      // The body was read to its end: the same connection carries the retry.
      let retry = try connection.send(
        "PUT", "\(Self.generic)/app/1.0/f.bin", headers: [Fixture.dev], body: [1, 2, 3])
      #expect(retry.status == 201)
      #expect(fixture.emulator.stats.connections == 1)
    }
  }

  @Test func theStatsRouteCountsUploadsAndTheFilesHeld() throws {
    try Fixture.run { fixture throws in
      #expect(try put(fixture, "\(Self.generic)/app/1.0/a.bin", [1, 2]).status == 201)
      #expect(try put(fixture, "\(Self.generic)/app/1.0/b.bin", [1, 2, 3]).status == 201)
      let stats = try fixture.get("/-/emulator/stats", [])
      #expect(
        stats.text
          == #"{"requests":2,"writes":2,"connections":3,"uploads":2,"uploaded_bytes":5,"package_files":2}"#
      )
      let held = try fixture.get("/-/emulator/packages/24", [])
      let files = try #require(held.json as? [[String: Any]])
      #expect(files.map { $0["file_name"] as? String } == ["a.bin", "b.bin"])
      #expect(files.first?["package_name"] as? String == "app")
      #expect(try fixture.delete("/-/emulator/stats", []).status == 200)
      #expect(fixture.emulator.stats == EmulatorStats(packageFiles: 2))
    }
  }
}
