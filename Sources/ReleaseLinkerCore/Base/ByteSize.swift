/// A size given on the command line (`--max-file-size`, `--max-download-size`,
/// `--max-expanded-size`): bytes, or a number with a unit. Binary units are `KiB MiB GiB TiB` and the
/// short `K M G T`; `KB MB GB TB` are decimal, as disks count.
public enum ByteSize {
  /// The number of bytes `text` names, or nil when it names none (also for zero or less).
  public static func parse(_ text: String) -> Int64? {
    let trimmed = text.filter { !$0.isWhitespace }
    let digits = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
    let unit = trimmed.dropFirst(digits.count).lowercased()
    let kibi = 1024.0
    let multipliers: [String: Double] = [
      "": 1, "b": 1,
      "k": kibi, "kib": kibi, "m": kibi * kibi, "mib": kibi * kibi,
      "g": kibi * kibi * kibi, "gib": kibi * kibi * kibi,
      "t": kibi * kibi * kibi * kibi, "tib": kibi * kibi * kibi * kibi,
      "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
    ]
    guard let number = Double(digits), let multiplier = multipliers[String(unit)], number > 0
    else { return nil }
    let bytes = (number * multiplier).rounded()
    guard bytes >= 1, bytes < Double(Int64.max) else { return nil }
    return Int64(bytes)
  }

  /// `2 GiB`, `512 MiB` or `1000 bytes`: the largest unit that divides the size exactly.
  public static func shown(_ bytes: Int64) -> String {
    let units = ["TiB", "GiB", "MiB", "KiB"]
    for (index, unit) in units.enumerated() {
      var divisor: Int64 = 1
      for _ in 0..<(units.count - index) { divisor *= 1024 }
      if bytes >= divisor, bytes % divisor == 0 { return "\(bytes / divisor) \(unit)" }
    }
    return "\(bytes) bytes"
  }
}
