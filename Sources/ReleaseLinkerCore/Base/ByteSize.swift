/// A size in bytes as people write it on a command line: `1073741824`, `512M`, `2G`, `10GiB`.
///
/// Suffixes are binary (K = 1024); `B` and `iB` after them are accepted and mean the same.
public enum ByteSize {
  /// The number of bytes, or nil when `text` is not a size.
  public static func parse(_ text: String) -> Int64? {
    var digits = Substring(text.filter { $0 != "_" })
    var unit = Substring("")
    while let last = digits.last, !last.isNumber {
      unit.insert(last, at: unit.startIndex)
      digits.removeLast()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      let number = Int64(digits)
    else {
      return nil
    }
    let exponent: Int64
    switch unit.uppercased() {
    case "", "B": exponent = 0
    case "K", "KB", "KIB": exponent = 1
    case "M", "MB", "MIB": exponent = 2
    case "G", "GB", "GIB": exponent = 3
    case "T", "TB", "TIB": exponent = 4
    default: return nil
    }
    var result = number
    for _ in 0..<exponent {
      let (product, overflow) = result.multipliedReportingOverflow(by: 1024)
      if overflow { return nil }
      result = product
    }
    return result
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
