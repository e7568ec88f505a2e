#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Wall-clock times rendered as GitLab renders them (ISO 8601 in JSON, RFC 7231 in headers).
enum Timestamps {
  static func now() -> Int { Int(time(nil)) }

  /// Seconds on a clock that only moves forward, for the request log.
  static func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
  }

  /// `2026-12-01T03:10:27.000Z`
  static func iso8601(_ seconds: Int) -> String {
    let parts = civil(seconds)
    return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day))T"
      + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second)).000Z"
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
