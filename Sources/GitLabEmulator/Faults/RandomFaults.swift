/// One kind of fault `--random-faults` may inject, by the name its flag gives it.
public enum RandomFaultKind: String, CaseIterable, Sendable, Comparable {
  /// The connection is reset when the request arrives; nothing is carried out.
  case reset
  /// 503 with an HTML page, as a load balancer answers for a GitLab that is down; nothing is
  /// carried out.
  case unavailable
  /// The request is carried out (a write committed, an upload stored), then the connection is
  /// reset: the answer is lost.
  case commitReset = "commit-reset"
  /// 429 `Retry later` with `Retry-After: 1`; nothing is carried out.
  case rateLimit = "rate-limit"
  /// Carried out and answered, a few hundred milliseconds late.
  case slow
  /// Package uploads only: the connection is reset part-way through the body; nothing is kept.
  case bodyReset = "body-reset"

  /// The order the kinds are drawn in, and listed in.
  public static func < (lhs: Self, rhs: Self) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }
}

/// `--random-faults KIND=P,...`: for each API request, the probability of each kind of fault.
public struct RandomFaultRates: Sendable, Equatable {
  public private(set) var probabilities: [RandomFaultKind: Double]

  /// Each probability is between 0 and 1, and together they are at most 1 (one fault per request).
  public init(_ probabilities: [RandomFaultKind: Double]) throws(SeedError) {
    for (kind, probability) in probabilities.sorted(by: { $0.key < $1.key })
    where !(0...1).contains(probability) {
      throw SeedError(
        "--random-faults: \(kind.rawValue)=\(probability) is not a probability between 0 and 1.")
    }
    let total = probabilities.values.reduce(0, +)
    // Rounding of decimal values such as 0.1 + 0.2 must not refuse a total of exactly 1.
    guard total <= 1 + 1e-9 else {
      throw SeedError(
        "--random-faults: the probabilities add up to \(total); one request gets at most one "
          + "fault, so they must add up to 1 or less.")
    }
    self.probabilities = probabilities
  }

  /// Parses `reset=0.05,unavailable=0.05,...`: each kind at most once, by its name.
  public init(parsing text: String) throws(SeedError) {
    let names = RandomFaultKind.allCases.map(\.rawValue).joined(separator: ", ")
    var probabilities: [RandomFaultKind: Double] = [:]
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2, let kind = RandomFaultKind(rawValue: String(parts[0])) else {
        throw SeedError(
          "--random-faults expects KIND=PROBABILITY pairs separated by commas (e.g. "
            + "reset=0.05,unavailable=0.05), KIND one of \(names); not '\(item)'.")
      }
      guard let probability = Double(parts[1]), probability.isFinite else {
        throw SeedError(
          "--random-faults: '\(parts[1])' of \(kind.rawValue) is not a number (e.g. 0.05).")
      }
      guard probabilities[kind] == nil else {
        throw SeedError("--random-faults names \(kind.rawValue) twice.")
      }
      probabilities[kind] = probability
    }
    try self.init(probabilities)
  }

  public func probability(_ kind: RandomFaultKind) -> Double { probabilities[kind] ?? 0 }
}

/// Draws, from a seeded generator, which fault (if any) each API request gets. The same seed and
/// the same sequence of requests give the same faults; with requests in flight at once their
/// order of arrival, and so which request gets which draw, is the network's.
public struct RandomFaultInjector: Sendable {
  public let rates: RandomFaultRates
  public let seed: UInt64
  /// False once stopped (`DELETE /-/emulator/random-faults`): no request gets a fault any more.
  public var isActive = true
  private var generator: SplitMix64

  /// How long a `slow` answer is held back: a few hundred milliseconds.
  public static let slowMilliseconds = 200...500

  public init(rates: RandomFaultRates, seed: UInt64) {
    self.rates = rates
    self.seed = seed
    generator = SplitMix64(seed: seed)
  }

  /// The fault for the next request, and its kind; nil for none. `body-reset` applies only to
  /// package uploads, and resets after a number of bytes drawn below `bodyLength` (the request's
  /// `Content-Length`, when it says one).
  public mutating func draw(isUpload: Bool, bodyLength: Int?) -> (RandomFaultKind, ScriptedFault)? {
    let roll = generator.nextUnit()
    var threshold = 0.0
    var chosen: RandomFaultKind?
    for kind in RandomFaultKind.allCases where isUpload || kind != .bodyReset {
      threshold += rates.probability(kind)
      if roll < threshold {
        chosen = kind
        break
      }
    }
    guard let chosen else { return nil }
    switch chosen {
    case .reset: return (chosen, .resetBeforeHandling)
    case .unavailable: return (chosen, .status(503, body: Self.unavailablePage))
    case .commitReset: return (chosen, .resetAfterCommit)
    case .rateLimit: return (chosen, .tooManyRequests(retryAfter: "1"))
    case .slow:
      let range = Self.slowMilliseconds
      let span = UInt64(range.upperBound - range.lowerBound + 1)
      return (chosen, .delay(milliseconds: range.lowerBound + Int(generator.next() % span)))
    case .bodyReset:
      // Somewhere inside the body: at least one byte has arrived, and not all of them.
      let length = max(0, bodyLength ?? 0)
      let afterBytes = length > 1 ? 1 + Int(generator.next() % UInt64(length - 1)) : 0
      return (chosen, .resetDuringBody(afterBytes: afterBytes))
    }
  }

  /// The page a load balancer in front of an unavailable GitLab answers with.
  static let unavailablePage =
    "<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>\n"
}

/// SplitMix64 (Steele, Lea and Flood, 2014): small, fast, and the same numbers on every platform
/// for a seed, which `SystemRandomNumberGenerator` cannot promise.
struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in [0, 1), from the top 53 bits.
  mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
