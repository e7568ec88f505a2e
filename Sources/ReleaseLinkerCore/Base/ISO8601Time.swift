/// ISO 8601 date-times as GitLab takes and returns them (`2019-03-15T08:00:00Z`,
/// `2019-03-15T08:00:00.000+01:00`), read and written by hand so that two spellings of one instant
/// compare equal.
public enum ISO8601Time {
  /// Seconds since 1970-01-01T00:00:00Z, or nil when `text` is not `YYYY-MM-DDTHH:MM[:SS[.fff]]`
  /// followed by `Z` or an offset `±HH:MM` (also `±HHMM`, `±HH`). A space may stand for the `T`.
  public static func secondsSince1970(_ text: String) -> Double? {
    let bytes = Array(text.utf8)
    var index = 0
    func digits(_ count: Int) -> Int? {
      guard index + count <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[index..<index + count] {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      index += count
      return value
    }
    func expect(_ character: Character) -> Bool {
      guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
      index += 1
      return true
    }
    guard let year = digits(4), expect("-"), let month = digits(2), expect("-"),
      let day = digits(2), expect("T") || expect(" ") || expect("t"),
      let hour = digits(2), expect(":"), let minute = digits(2)
    else { return nil }
    var second = 0.0
    if expect(":") {
      guard let whole = digits(2) else { return nil }
      second = Double(whole)
      if expect(".") || expect(",") {
        var scale = 0.1
        var any = false
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
          second += Double(bytes[index] - UInt8(ascii: "0")) * scale
          scale /= 10
          index += 1
          any = true
        }
        guard any else { return nil }
      }
    }
    var offset = 0
    if expect("Z") || expect("z") {
      offset = 0
    } else if index < bytes.count,
      bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
    {
      let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
      index += 1
      guard let hours = digits(2) else { return nil }
      var minutes = 0
      if expect(":") {
        guard let value = digits(2) else { return nil }
        minutes = value
      } else if let value = digits(2) {
        minutes = value
      }
      guard hours <= 23, minutes <= 59 else { return nil }
      offset = sign * (hours * 3_600 + minutes * 60)
    } else {
      return nil
    }
    guard index == bytes.count, (1...12).contains(month), (1...31).contains(day), hour <= 23,
      minute <= 59, second < 61
    else { return nil }
    let days = daysSince1970(year: year, month: month, day: day)
    return Double(days * 86_400 + hour * 3_600 + minute * 60) + second - Double(offset)
  }

  /// `2026-12-01T21:05:09Z` for a Unix time (whole seconds, UTC).
  public static func format(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded(.down))
    let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
    let rest = whole - days * 86_400
    let (year, month, day) = civilDate(daysSince1970: days)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3_600)):\(two(rest % 3_600 / 60)):"
      + "\(two(rest % 60))Z"
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

  /// The inverse of ``daysSince1970(year:month:day:)``.
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
}
