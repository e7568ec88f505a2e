import Testing

@testable import ReleaseLinkerCore

struct ISO8601TimeTests {
  @Test func spellingsOfOneInstantAgree() {
    let expected = 1_773_561_600.0  // 2026-03-15T08:00:00Z
    for text in [
      "2026-03-15T08:00:00Z", "2026-03-15T08:00:00.000Z", "2026-03-15T09:00:00+01:00",
      "2026-03-15T03:00:00-0500", "2026-03-15 08:00:00Z", "2026-03-15T08:00Z",
      "2026-03-15T10:00:00+02",
    ] {
      #expect(ISO8601Time.secondsSince1970(text) == expected, "\(text)")
    }
    #expect(ISO8601Time.secondsSince1970("2026-03-15T08:00:00.250Z") == expected + 0.25)
  }

  @Test func notADateTime() {
    for text in [
      "", "2026-03-15", "2026-13-01T00:00:00Z", "2026-03-15T08:00:00", "yesterday",
      "2026-03-15T08:00:00Zjunk", "2026-03-15T25:00:00Z",
    ] {
      #expect(ISO8601Time.secondsSince1970(text) == nil, "\(text)")
    }
  }

  @Test func formatsUTC() {
    #expect(ISO8601Time.format(1_773_561_600) == "2026-03-15T08:00:00Z")
    #expect(ISO8601Time.format(0) == "1970-01-01T00:00:00Z")
    #expect(ISO8601Time.format(951_782_400) == "2000-02-29T00:00:00Z")
  }
}
