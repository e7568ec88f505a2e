#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Wall-clock times rendered as GitLab renders them (ISO 8601 in JSON, RFC 7231 in headers).
enum Timestamps {
  static func now() -> Int { Int(time(nil)) }

  /// `2026-12-01T03:10:27.000Z`
  static func iso8601(_ seconds: Int) -> String {
    let parts = civil(seconds)
    return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day))T"
      + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second)).000Z"
  }

  /// `2026-12-01T03:10:27.250Z` from milliseconds since 1970.
  static func iso8601(milliseconds: Int64) -> String {
    let seconds = Int(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
    let fraction = Int(milliseconds - Int64(seconds) * 1000)
    let text = iso8601(seconds)
    return String(text.dropLast(5)) + "." + pad(fraction, 3) + "Z"
  }

  /// Milliseconds since 1970 for a date-time as Grape's `DateTime` coercion takes it:
  /// `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or `±HH:MM` (a date alone is midnight UTC). Nil for
  /// anything else.
  static func milliseconds(iso8601 text: String) -> Int64? {
    let scalars = Array(text.utf8)
    var index = 0
    func number(_ width: Int) -> Int? {
      guard index + width <= scalars.count else { return nil }
      var value = 0
      for byte in scalars[index..<index + width] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      index += width
      return value
    }
    func skip(_ byte: UInt8) -> Bool {
      guard index < scalars.count, scalars[index] == byte else { return false }
      index += 1
      return true
    }
    guard let year = number(4), skip(0x2D), let month = number(2), skip(0x2D), let day = number(2),
      (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    var seconds = daysSince1970(year: year, month: month, day: day) * 86_400
    var millis = 0
    if index < scalars.count {
      guard skip(0x54) || skip(0x20), let hour = number(2), skip(0x3A), let minute = number(2),
        hour < 24, minute < 60
      else { return nil }
      seconds += hour * 3600 + minute * 60
      if skip(0x3A) {
        guard let second = number(2), second < 61 else { return nil }
        seconds += second
        if skip(0x2E) {
          var scale = 100
          while index < scalars.count, scalars[index] >= 0x30, scalars[index] <= 0x39 {
            millis += Int(scalars[index] - 0x30) * scale
            scale /= 10
            index += 1
          }
        }
      }
      if skip(0x5A) {
      } else if index < scalars.count, scalars[index] == 0x2B || scalars[index] == 0x2D {
        let sign = scalars[index] == 0x2D ? -1 : 1
        index += 1
        guard let hours = number(2) else { return nil }
        _ = skip(0x3A)
        let minutes = number(2) ?? 0
        seconds -= sign * (hours * 3600 + minutes * 60)
      }
      guard index == scalars.count else { return nil }
    }
    return Int64(seconds) * 1000 + Int64(millis)
  }

  private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// `Tue, 01 Dec 2026 03:10:27 GMT`
  static func httpDate(_ seconds: Int) -> String {
    let parts = civil(seconds)
    let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let weekday = weekdays[((days % 7) + 7) % 7]
    return "\(weekday), \(pad(parts.day)) \(months[parts.month - 1]) \(pad(parts.year, 4)) "
      + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second)) GMT"
  }

  private static func pad(_ value: Int, _ width: Int = 2) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }

  /// Days-from-civil inverted (Howard Hinnant's algorithm), valid for any Unix time.
  private static func civil(_ seconds: Int) -> (
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
  ) {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (
      year, month, day, secondOfDay / 3600, (secondOfDay % 3600) / 60, secondOfDay % 60
    )
  }
}
