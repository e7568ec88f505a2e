import Foundation
import GitLabEmulator
import Testing

/// `PUT /projects/:id/releases/:tag_name` and the release fields `POST /projects/:id/releases`
/// shares with it, answered as `lib/api/releases.rb` and `Releases::UpdateService` do.
@Suite struct ReleaseUpdateRoutesTests {
  static let release = "/api/v4/projects/24/releases/v1.0"

  @Test func updatesTheFieldsGivenAndLeavesTheRest() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addMilestone(projectID: 24, title: "1.0")
      let named = try fixture.send("PUT", Self.release, form: [("name", "One")])
      #expect(named.status == 200)
      let answer = try #require(named.json as? [String: Any])
      #expect(answer["name"] as? String == "One")
      #expect(answer["description"] as? String == "")

      let json = try fixture.send(
        "PUT", Self.release,
        json:
          #"{"description":"notes","milestones":["1.0"],"released_at":"2026-03-15T09:00:00+01:00"}"#
      )
      #expect(json.status == 200)
      let release = try #require(fixture.emulator.release(projectID: 24, tag: "v1.0"))
      #expect(release.name == "One" && release.description == "notes")
      #expect(release.milestones == ["1.0"])
      #expect(release.releasedAt == "2026-03-15T08:00:00.000Z")
      let shown = try #require(try fixture.get(Self.release).json as? [String: Any])
      #expect(shown["released_at"] as? String == "2026-03-15T08:00:00.000Z")
      let milestones = try #require(shown["milestones"] as? [[String: Any]])
      #expect(milestones.map { $0["title"] as? String } == ["1.0"])
    }
  }

  @Test func gitLabsErrors() throws {
    try Fixture.run { fixture throws in
      let empty = try fixture.send("PUT", Self.release, form: [])
      #expect(empty.status == 400 && empty.text == #"{"message":"params is empty"}"#)
      let missing = try fixture.send("PUT", Self.release, form: [("milestones", "1.0, 2.0")])
      #expect(missing.status == 400)
      #expect(missing.text == #"{"message":"Milestone(s) not found: 1.0, 2.0"}"#)
      let date = try fixture.send("PUT", Self.release, form: [("released_at", "soon")])
      #expect(date.status == 400 && date.text == #"{"error":"released_at is invalid"}"#)
      let both = try fixture.send(
        "PUT", Self.release, form: [("milestones", "a"), ("milestone_ids", "1")])
      #expect(both.text.contains("Cannot specify milestones and milestone_ids at the same time"))
      let noRelease = try fixture.send(
        "PUT", "/api/v4/projects/24/releases/v9", form: [("name", "x")])
      #expect(noRelease.status == 404)
      #expect(noRelease.text == #"{"message":"Release does not exist"}"#)
      let reporter = try fixture.send(
        "PUT", Self.release, form: [("name", "x")], [Fixture.reporter])
      #expect(reporter.status == 403)
      let anonymous = try fixture.send("PUT", Self.release, form: [("name", "x")], [])
      #expect(anonymous.status == 404)
      let long = String(repeating: "a", count: 1_000_001)
      let tooLong = try fixture.send("PUT", Self.release, json: #"{"description":"\#(long)"}"#)
      #expect(tooLong.status == 400)
      #expect(
        tooLong.text
          == #"{"message":{"description":["is too long (maximum is 1000000 characters)"]}}"#)
      #expect(fixture.emulator.release(projectID: 24, tag: "v1.0")?.name == "v1.0")
    }
  }

  @Test func theJobTokenMayUpdate() throws {
    try Fixture.run { fixture throws in
      let job = try fixture.send("PUT", Self.release, form: [("name", "By CI")], [Fixture.job])
      #expect(job.status == 200)
      #expect(fixture.emulator.release(projectID: 24, tag: "v1.0")?.name == "By CI")
    }
  }

  @Test func createTakesMilestonesThatExistAndAReleaseDate() throws {
    try Fixture.run { fixture throws in
      let missing = try fixture.send(
        "POST", "/api/v4/projects/24/releases",
        form: [("tag_name", "v2.0"), ("milestones[]", "nope")])
      #expect(missing.status == 400)
      #expect(missing.text == #"{"message":"Milestone(s) not found: nope"}"#)
      #expect(!fixture.emulator.hasRelease(projectID: 24, tag: "v2.0"))

      fixture.emulator.addMilestone(projectID: 24, title: "Q1")
      let created = try fixture.send(
        "POST", "/api/v4/projects/24/releases",
        form: [
          ("tag_name", "v2.0"), ("milestones[]", "Q1"), ("released_at", "2020-01-02T03:04:05Z"),
        ])
      #expect(created.status == 201)
      let release = try #require(created.json as? [String: Any])
      #expect(release["released_at"] as? String == "2020-01-02T03:04:05.000Z")
      #expect(release["upcoming_release"] as? Bool == false)
      #expect(fixture.emulator.release(projectID: 24, tag: "v2.0")?.milestones == ["Q1"])
    }
  }

  @Test func aMissingTagNeedsARefAndGetsItsMessage() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.addBranch(projectID: 24, name: "develop")
      let noRef = try fixture.send(
        "POST", "/api/v4/projects/24/releases", form: [("tag_name", "v2.0")])
      #expect(noRef.status == 422 && noRef.text == #"{"message":"Ref is not specified"}"#)
      let badRef = try fixture.send(
        "POST", "/api/v4/projects/24/releases", form: [("tag_name", "v2.0"), ("ref", "nowhere")])
      #expect(badRef.status == 400 && badRef.text == #"{"message":"Target nowhere is invalid"}"#)
      let created = try fixture.send(
        "POST", "/api/v4/projects/24/releases",
        form: [("tag_name", "v2.0"), ("ref", "develop"), ("tag_message", "Version 2")])
      #expect(created.status == 201)
      #expect(fixture.emulator.tags(projectID: 24)?["v2.0"] == .some("Version 2"))
      // The tag of a seeded release exists, so it needs no ref.
      #expect(fixture.emulator.tags(projectID: 24)?["v1.0"] != nil)
      let update = try fixture.send(
        "PUT", "/api/v4/projects/24/releases/v7.0", form: [("name", "x")])
      #expect(update.status == 404 && update.text == #"{"message":"Tag does not exist"}"#)
    }
  }
}
