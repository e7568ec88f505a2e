import Testing

@testable import ReleaseLinkerCore

/// Which fields of an existing release `--update-release` would change.
struct ReleaseRequestTests {
  let current = ReleaseSnapshot(
    name: "v1.0", tagName: "v1.0", description: "notes", releasedAt: "2026-03-15T08:00:00.000Z",
    milestones: ["1.0", "Q1"])

  @Test func nothingAskedChangesNothing() {
    #expect(ReleaseRequest(update: true).changes(from: current).isEmpty)
  }

  @Test func matchingValuesChangeNothing() {
    let request = ReleaseRequest(
      update: true, name: "v1.0", notes: "notes", milestones: ["Q1", "1.0", "Q1"],
      releasedAt: "2026-03-15T09:00:00+01:00")
    #expect(request.changes(from: current).isEmpty)
  }

  @Test func eachDifferingFieldIsSentAndNothingElse() {
    let request = ReleaseRequest(
      update: true, name: "Version 1", notes: "notes", milestones: ["1.0"],
      releasedAt: "2026-03-16T08:00:00Z")
    let changes = request.changes(from: current)
    #expect(
      changes
        == ReleaseChanges(
          name: "Version 1", milestones: ["1.0"], releasedAt: "2026-03-16T08:00:00Z"))
    #expect(changes.fieldNames == ["name", "milestones", "released_at"])
  }

  @Test func keepNeverTouchesTheDescription() {
    let request = ReleaseRequest(update: true, notes: "other", notesMode: .keep)
    #expect(request.changes(from: current).isEmpty)
  }

  @Test func aMissingMilestoneListCountsAsNone() {
    var bare = current
    bare.milestones = nil
    let request = ReleaseRequest(update: true, milestones: ["1.0"])
    #expect(request.changes(from: bare).milestones == ["1.0"])
  }

  @Test func theDraftNamesTheTagAndBlocksTheNotes() {
    let draft = ReleaseRequest(create: true, notes: "hi", notesMode: .append).draft(tag: "v2")
    #expect(draft.name == "v2" && draft.description == ReleaseNotes.block("hi"))
    #expect(ReleaseRequest(create: true).draft(tag: "v2").description == "")
  }
}
