import Foundation
import GitLabEmulator
import Testing

/// `GET /projects/:id`: the project entity with the caller's `permissions`.
@Suite struct ProjectRoutesTests {
  @Test func theProjectStatesTheCallersRole() throws {
    try Fixture.run { fixture throws in
      let project = try #require(try fixture.get("/api/v4/projects/24").json as? [String: Any])
      let permissions = try #require(project["permissions"] as? [String: Any])
      let access = try #require(permissions["project_access"] as? [String: Any])
      #expect(access["access_level"] as? Int == 30)
      let reporter =
        try fixture.get("/api/v4/projects/24", [Fixture.reporter]).json as? [String: Any]
      let level =
        ((reporter?["permissions"] as? [String: Any])?["project_access"] as? [String: Any])?[
          "access_level"] as? Int
      #expect(level == 20)
    }
  }
}
