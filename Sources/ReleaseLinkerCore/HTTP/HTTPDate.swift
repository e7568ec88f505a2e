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

  /// `2026-12-01 21:05:09 UTC` for a Unix time, for messages that say when to try again.
  public static func utcText(_ seconds: Double) -> String {
    let total = Int(min(max(seconds, -1e15), 1e15).rounded(.up))
    let days = Int((Double(total) / 86_400).rounded(.down))
    let secondOfDay = total - days * 86_400
    let (year, month, day) = civilDate(daysSince1970: days)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
    return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3_600)):"
      + "\(two(secondOfDay % 3_600 / 60)):\(two(secondOfDay % 60)) UTC"
  }

  /// The proleptic Gregorian date of a day count from 1970-01-01 (the inverse of
  /// ``daysSince1970(year:month:day:)``).
  static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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
