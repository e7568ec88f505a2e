import Foundation
import GitLabEmulator

/// A seeded emulator: two projects with a release each, tokens of every kind, and short request
/// helpers. Web URLs use a fixed server URL so expected bodies can be written out in full.
struct Fixture {
  static let serverURL = "https://gitlab.example.com"
  static let dev = ("PRIVATE-TOKEN", "dev-token")
  static let maintainer = ("PRIVATE-TOKEN", "maintainer-token")
  static let reporter = ("PRIVATE-TOKEN", "reporter-token")
  static let guest = ("PRIVATE-TOKEN", "guest-token")
  static let readOnly = ("PRIVATE-TOKEN", "read-api-token")
  static let job = ("JOB-TOKEN", "job-24")
  static let otherProjectJob = ("JOB-TOKEN", "job-25")
  static let finishedJob = ("JOB-TOKEN", "job-finished")

  let emulator: GitLabEmulator

  /// Runs `body` against a freshly seeded emulator, always shut down afterwards.
  static func run<T>(_ body: (Fixture) throws -> T) throws -> T {
    try withEmulator(serverURL: serverURL) { emulator in
      emulator.addProject(id: 24, path: "group/app")
      emulator.addProject(id: 25, path: "other/lib")
      emulator.addProject(id: 26, path: "team/tools", jobTokenAllowlist: [25])
      emulator.addRelease(projectID: 24, tag: "v1.0")
      emulator.addRelease(projectID: 25, tag: "v2.0")
      emulator.addRelease(projectID: 26, tag: "v3.0")
      emulator.addPrivateToken("dev-token", roles: [24: .developer, 26: .developer])
      emulator.addPrivateToken("maintainer-token", userID: 2, roles: [24: .maintainer])
      emulator.addPrivateToken("reporter-token", userID: 3, roles: [24: .reporter])
      emulator.addPrivateToken("guest-token", userID: 4, roles: [24: .guest])
      emulator.addPrivateToken(
        "read-api-token", userID: 5, roles: [24: .developer], scopes: ["read_api"])
      emulator.addJobToken("job-24", projectID: 24, jobID: 100)
      emulator.addJobToken("job-25", projectID: 25, jobID: 200)
      emulator.addJobToken("job-finished", projectID: 24, jobID: 99, running: false)
      return try body(Fixture(emulator: emulator))
    }
  }

  /// `/api/v4/projects/24/releases/v1.0/assets/links`
  static let links = "/api/v4/projects/24/releases/v1.0/assets/links"

  func get(_ path: String, _ headers: [(String, String)] = [dev]) throws -> HTTPTestResponse {
    try HTTP.request(emulator.baseURL, "GET", path, headers: headers)
  }

  func delete(_ path: String, _ headers: [(String, String)] = [dev]) throws -> HTTPTestResponse {
    try HTTP.request(emulator.baseURL, "DELETE", path, headers: headers)
  }

  /// A form-encoded write, as curl's `--data` sends it.
  func send(
    _ method: String, _ path: String, form: [(String, String)],
    _ headers: [(String, String)] = [dev]
  ) throws -> HTTPTestResponse {
    try HTTP.request(
      emulator.baseURL, method, path, headers: headers + [HTTP.formHeader], body: HTTP.form(form))
  }

  /// A JSON write, as python-gitlab sends it.
  func send(
    _ method: String, _ path: String, json: String, _ headers: [(String, String)] = [dev]
  ) throws -> HTTPTestResponse {
    try HTTP.request(
      emulator.baseURL, method, path, headers: headers + [HTTP.jsonHeader], body: Array(json.utf8))
  }

  /// Creates a link through the API and returns the answer.
  @discardableResult
  func createLink(
    name: String, url: String, path: String? = nil, project: String = "24",
    tag: String = "v1.0", _ headers: [(String, String)] = [dev]
  ) throws -> HTTPTestResponse {
    var form = [("name", name), ("url", url)]
    if let path { form.append(("direct_asset_path", path)) }
    return try send(
      "POST", "/api/v4/projects/\(project)/releases/\(tag)/assets/links", form: form, headers)
  }

  /// GitLab's link entity text, keys in GitLab's order.
  static func entity(
    id: Int, name: String, url: String, path: String? = nil, type: String = "other",
    project: String = "group/app", tag: String = "v1.0"
  ) -> String {
    let direct =
      path.map { "\(serverURL)/\(project)/-/releases/\(tag)/downloads/\($0.dropFirst())" } ?? url
    return
      #"{"id":\#(id),"name":"\#(name)","url":"\#(url)","direct_asset_url":"\#(direct)","link_type":"\#(type)"}"#
  }
}

struct ConditionNotReached: Error {}

/// Waits for something the emulator does on its own thread (a request's head being read), so a
/// test can order what happens next. Not a timing check: the deadline only stops a hung test.
func waitUntil(_ condition: () -> Bool) throws {
  let deadline = Date().addingTimeInterval(30)
  while !condition() {
    guard Date() < deadline else { throw ConditionNotReached() }
    usleep(1000)
  }
}
