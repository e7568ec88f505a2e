import Testing

@testable import ReleaseLinkerCore

/// The job's notes merged into a description a person may also edit.
struct ReleaseNotesTests {
  let person = "Hand-written intro.\n\nSee the changelog."

  @Test func replaceAndKeep() {
    #expect(ReleaseNotes.description(current: person, notes: "new", mode: .replace) == "new")
    #expect(ReleaseNotes.description(current: person, notes: "new", mode: .keep) == person)
    #expect(ReleaseNotes.description(current: nil, notes: "new", mode: .keep) == "new")
  }

  @Test func appendPutsOneBlockAfterThePersonsText() {
    let once = ReleaseNotes.description(current: person, notes: "Assets: 3\n", mode: .append)
    #expect(once == person + "\n\n" + ReleaseNotes.block("Assets: 3"))
    #expect(once.hasPrefix(person))
    let twice = ReleaseNotes.description(current: once, notes: "Assets: 3\n", mode: .append)
    #expect(twice == once)
    let changed = ReleaseNotes.description(current: twice, notes: "Assets: 4", mode: .append)
    #expect(changed == person + "\n\n" + ReleaseNotes.block("Assets: 4"))
  }

  @Test func prependPutsOneBlockBeforeThePersonsText() {
    let once = ReleaseNotes.description(current: person, notes: "Assets: 3", mode: .prepend)
    #expect(once == ReleaseNotes.block("Assets: 3") + "\n\n" + person)
    #expect(ReleaseNotes.description(current: once, notes: "Assets: 3", mode: .prepend) == once)
  }

  @Test func textAPersonAddsAroundTheBlockStaysAndTheBlockIsReplacedInPlace() {
    let edited =
      "Intro.\n\n" + ReleaseNotes.block("old") + "\n\nA note added below the block later."
    let merged = ReleaseNotes.description(current: edited, notes: "new", mode: .append)
    #expect(
      merged == "Intro.\n\n" + ReleaseNotes.block("new") + "\n\nA note added below the block later."
    )
  }

  @Test func aCopiedSecondBlockGoesAway() {
    let doubled = "Intro.\n\n" + ReleaseNotes.block("a") + "\n\n" + ReleaseNotes.block("b")
    let merged = ReleaseNotes.description(current: doubled, notes: "c", mode: .append)
    #expect(merged == "Intro.\n\n" + ReleaseNotes.block("c"))
    #expect(merged.components(separatedBy: ReleaseNotes.beginMarker).count == 2)
  }

  @Test func anEmptyDescriptionIsJustTheBlock() {
    #expect(
      ReleaseNotes.description(current: "", notes: "x", mode: .append) == ReleaseNotes.block("x"))
    #expect(
      ReleaseNotes.description(current: nil, notes: "x", mode: .prepend) == ReleaseNotes.block("x"))
    #expect(ReleaseNotes.block("") == ReleaseNotes.beginMarker + "\n" + ReleaseNotes.endMarker)
  }
}
