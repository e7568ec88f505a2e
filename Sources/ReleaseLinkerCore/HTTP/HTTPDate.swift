/// HTTP dates (`Retry-After`, `RateLimit-ResetTime`), parsed by hand: the preferred IMF-fixdate
/// `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete RFC 850 form `Sunday, 06-Nov-94 08:49:37 GMT`.
public enum HTTPDate {
  private static let months = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]

  /// Seconds since 1970-01-01T00:00:00Z, or nil when `text` is not an HTTP date.
  public static func secondsSince1970(_ text: String) -> Double? {
    let parts = text.split(separator: " ", omittingEmptySubsequences: true)
    guard let weekday = parts.first, weekday.hasSuffix(","), parts.last == "GMT" else {
      return nil
    }
    if parts.count == 6 {
      // IMF-fixdate: "Sun," "06" "Nov" "1994" "08:49:37" "GMT"
      guard let day = Int(parts[1]), let month = month(parts[2]), let year = Int(parts[3]),
        parts[3].count == 4
      else { return nil }
      return combine(year: year, month: month, day: day, time: parts[4])
    }
    if parts.count == 4 {
      // RFC 850: "Sunday," "06-Nov-94" "08:49:37" "GMT"
      let date = parts[1].split(separator: "-")
      guard date.count == 3, let day = Int(date[0]), let month = month(date[1]),
        var year = Int(date[2])
      else { return nil }
      if date[2].count == 2 { year += year < 70 ? 2000 : 1900 }
      return combine(year: year, month: month, day: day, time: parts[2])
    }
    return nil
  }

  private static func month(_ name: Substring) -> Int? {
    months.firstIndex(of: name.lowercased()).map { $0 + 1 }
  }

  static func combine(year: Int, month: Int, day: Int, time: Substring) -> Double? {
    let clock = time.split(separator: ":")
    guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]),
      let second = Int(clock[2]), (0...23).contains(hour), (0...59).contains(minute),
      (0...60).contains(second), (1...31).contains(day), (1...12).contains(month)
    else { return nil }
    let days = daysSince1970(year: year, month: month, day: day)
    return Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
  }

  /// Days from 1970-01-01 to the given proleptic Gregorian date.
  static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
