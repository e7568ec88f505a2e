/// The words of upload progress: sizes, rates and time left as people read them.
public enum ProgressLine {
  /// `512 B`, `1.5 KiB`, `12.0 MiB`, `4.00 GiB`.
  public static func bytes(_ count: Int64) -> String {
    let units = ["KiB", "MiB", "GiB", "TiB"]
    guard count >= 1024 else { return "\(count) B" }
    var value = Double(count) / 1024
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    let digits = value >= 100 ? 0 : (value >= 10 ? 1 : 2)
    return "\(fixed(value, digits)) \(units[unit])"
  }

  /// `95.3 MiB/s`.
  public static func rate(_ bytesPerSecond: Double) -> String {
    guard bytesPerSecond.isFinite, bytesPerSecond > 0 else { return "-- B/s" }
    return bytes(Int64(bytesPerSecond)) + "/s"
  }

  /// `0:05`, `12:40`, `1:02:03`; `--:--` when unknown.
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0, seconds < 360_000 else { return "--:--" }
    let total = Int(seconds.rounded(.up))
    let hours = total / 3600
    let minutes = (total % 3600) / 60
    let rest = total % 60
    let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
    return hours > 0 ? "\(hours):\(two(minutes)):\(two(rest))" : "\(minutes):\(two(rest))"
  }

  /// One line of a CI log for one file: `app.iso: 1.00 GiB of 4.00 GiB (25%), 210 MiB/s, 0:14 left`.
  public static func logLine(
    fileName: String, sent: Int64, total: Int64, elapsed: Double
  ) -> String {
    let rate = elapsed > 0 ? Double(sent) / elapsed : 0
    let percent = total > 0 ? Int(Double(sent) * 100 / Double(total)) : 100
    if sent >= total {
      return "\(fileName): \(bytes(total)) sent in \(duration(elapsed)), \(self.rate(rate))"
    }
    let left = rate > 0 ? Double(total - sent) / rate : .infinity
    return "\(fileName): \(bytes(sent)) of \(bytes(total)) (\(percent)%), \(self.rate(rate)), "
      + "\(duration(left)) left"
  }

  /// A terminal's status line over every file in flight, at most `width` columns:
  /// `uploading 2 files [########........] 1.00 GiB / 4.00 GiB  210 MiB/s  0:14 left`.
  public static func bar(
    files: Int, sent: Int64, total: Int64, elapsed: Double, width: Int
  ) -> String {
    let rate = elapsed > 0 ? Double(sent) / elapsed : 0
    let left = rate > 0 ? Double(max(0, total - sent)) / rate : .infinity
    let head = "uploading \(files) file\(files == 1 ? "" : "s") "
    let tail =
      " \(bytes(sent)) / \(bytes(total))  \(self.rate(rate))  \(duration(left)) left"
    let room = width - head.count - tail.count - 2
    guard room >= 10 else { return String((head + tail).prefix(max(0, width))) }
    let cells = min(room, 40)
    let filled = total > 0 ? Int(Double(cells) * Double(sent) / Double(total)) : cells
    let bar =
      String(repeating: "#", count: min(cells, filled))
      + String(repeating: ".", count: max(0, cells - filled))
    return head + "[" + bar + "]" + tail
  }

  private static func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    guard digits > 0 else { return String(scaled) }
    let whole = scaled / Int(scale)
    var fraction = String(scaled % Int(scale))
    while fraction.count < digits { fraction = "0" + fraction }
    return "\(whole).\(fraction)"
  }
}
