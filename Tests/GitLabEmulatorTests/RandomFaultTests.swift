import Foundation
import GitLabEmulator
import Testing

/// `--random-faults` and `--fault-seed`: the seeded injector, its parsing, and the emulator using it.
@Suite struct RandomFaultTests {
  static let soakRates: [RandomFaultKind: Double] = [
    .reset: 0.05, .unavailable: 0.05, .commitReset: 0.01, .rateLimit: 0.01, .slow: 0.02,
    .bodyReset: 0.05,
  ]

  /// A fault as text, so that two draws can be compared (`ScriptedFault` holds header tuples).
  static func describe(_ drawn: (RandomFaultKind, ScriptedFault)?) -> String {
    guard let (kind, fault) = drawn else { return "-" }
    switch fault {
    case .status(let code, _, _): return "\(kind.rawValue):\(code)"
    case .tooManyRequests(let retryAfter): return "\(kind.rawValue):429/\(retryAfter)"
    case .delay(let milliseconds): return "\(kind.rawValue):\(milliseconds)ms"
    case .resetBeforeHandling: return "\(kind.rawValue):before"
    case .resetAfterCommit: return "\(kind.rawValue):after"
    case .resetDuringBody(let bytes): return "\(kind.rawValue):\(bytes)B"
    case .malformedBody: return "\(kind.rawValue):malformed"
    }
  }

  static func draws(seed: UInt64, count: Int, upload: (Int) -> Bool = { $0 % 3 == 0 }) throws
    -> [String]
  {
    var injector = RandomFaultInjector(rates: try RandomFaultRates(soakRates), seed: seed)
    return (0..<count).map { index in
      describe(injector.draw(isUpload: upload(index), bodyLength: 1000))
    }
  }

  @Test func theSameSeedDrawsTheSameFaultsAndAnotherSeedOthers() throws {
    let first = try Self.draws(seed: 42, count: 2000)
    #expect(first == (try Self.draws(seed: 42, count: 2000)))
    #expect(first != (try Self.draws(seed: 43, count: 2000)))
    #expect(first.contains { $0 != "-" })
  }

  @Test func eachKindComesAtAboutItsRateAndOnlyUploadsGetBodyResets() throws {
    let rates = try RandomFaultRates(Self.soakRates)
    var injector = RandomFaultInjector(rates: rates, seed: 7)
    let draws = 100_000
    var uploads: [RandomFaultKind: Int] = [:]
    var others: [RandomFaultKind: Int] = [:]
    for _ in 0..<draws {
      if let (kind, _) = injector.draw(isUpload: true, bodyLength: 4096) {
        uploads[kind, default: 0] += 1
      }
      if let (kind, _) = injector.draw(isUpload: false, bodyLength: 4096) {
        others[kind, default: 0] += 1
      }
    }
    // The seed is fixed, so these counts are the same on every run; the bounds say they are
    // the rates asked for (within 10 % of the expected count, several standard deviations).
    for kind in RandomFaultKind.allCases {
      let expected = Double(draws) * rates.probability(kind)
      let seen = Double(uploads[kind] ?? 0)
      #expect(abs(seen - expected) < expected * 0.1, "\(kind): \(seen) of \(expected)")
      if kind == .bodyReset {
        #expect(others[kind] == nil)
      } else {
        let other = Double(others[kind] ?? 0)
        #expect(abs(other - expected) < expected * 0.1, "\(kind): \(other) of \(expected)")
      }
    }
  }

  @Test func slowAnswersWaitAFewHundredMillisecondsAndBodyResetsStopInsideTheBody() throws {
    var injector = RandomFaultInjector(
      rates: try RandomFaultRates([.slow: 0.5, .bodyReset: 0.5]), seed: 1)
    var delays: [Int] = []
    var cuts: [Int] = []
    for _ in 0..<2000 {
      switch injector.draw(isUpload: true, bodyLength: 64)?.1 {
      case .delay(let milliseconds)?: delays.append(milliseconds)
      case .resetDuringBody(let bytes)?: cuts.append(bytes)
      default: Issue.record("a kind that was not asked for, or none")
      }
    }
    #expect(!delays.isEmpty && delays.allSatisfy { RandomFaultInjector.slowMilliseconds ~= $0 })
    #expect(!cuts.isEmpty && cuts.allSatisfy { (1..<64).contains($0) })
    #expect(Set(cuts).count > 10)
    // An upload without a Content-Length is reset on its first byte.
    var unknown = RandomFaultInjector(rates: try RandomFaultRates([.bodyReset: 1]), seed: 1)
    #expect(Self.describe(unknown.draw(isUpload: true, bodyLength: nil)) == "body-reset:0B")
  }

  @Test func theFaultsAreTheLibrarysOwnKinds() throws {
    let cases: [(RandomFaultKind, String)] = [
      (.reset, "reset:before"), (.unavailable, "unavailable:503"),
      (.commitReset, "commit-reset:after"), (.rateLimit, "rate-limit:429/1"),
    ]
    for (kind, expected) in cases {
      var injector = RandomFaultInjector(rates: try RandomFaultRates([kind: 1]), seed: 3)
      #expect(Self.describe(injector.draw(isUpload: false, bodyLength: 10)) == expected)
    }
    var none = RandomFaultInjector(rates: try RandomFaultRates([:]), seed: 3)
    #expect((0..<1000).allSatisfy { _ in none.draw(isUpload: true, bodyLength: 9) == nil })
  }

  @Test func theFlagsTextParses() throws {
    let rates = try RandomFaultRates(
      parsing: "reset=0.05,unavailable=0.05,commit-reset=0.01,rate-limit=0.01,slow=0.02")
    #expect(rates.probability(.reset) == 0.05)
    #expect(rates.probability(.commitReset) == 0.01)
    #expect(rates.probability(.bodyReset) == 0)
    #expect(
      (try RandomFaultRates(parsing: "reset=0.7,slow=0.2,unavailable=0.1")).probabilities.count == 3
    )
  }

  @Test(arguments: [
    ("reset", "expects KIND=PROBABILITY pairs"),
    ("drop=0.1", "KIND one of reset, unavailable, commit-reset, rate-limit, slow, body-reset"),
    ("reset=lots", "'lots' of reset is not a number"),
    ("reset=1.5", "reset=1.5 is not a probability between 0 and 1"),
    ("reset=-0.1", "is not a probability between 0 and 1"),
    ("reset=0.6,slow=0.6", "add up to 1.2"),
    ("reset=0.1,reset=0.2", "names reset twice"),
  ])
  func unusableRatesAreRefusedSayingWhy(text: String, message: String) {
    #expect {
      _ = try RandomFaultRates(parsing: text)
    } throws: { error in
      (error as? SeedError)?.message.contains(message) == true
    }
  }

  @Test func theEmulatorFaultsAPIRequestsOnlyAndCountsThemInItsStats() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.setRandomFaults(try RandomFaultRates([.unavailable: 1]), seed: 5)
      let answer = try fixture.createLink(name: "n", url: "https://x/n")
      #expect(answer.status == 503)
      #expect(answer.text.contains("503 Service Unavailable"))
      #expect(try fixture.get(Fixture.links).status == 503)
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").isEmpty)
      // The web routes and the emulator's own are left alone.
      #expect(try fixture.get("/group/app/-/releases/v1.0/downloads/none").status != 503)
      let stats = try fixture.get("/-/emulator/stats")
      #expect(stats.text.hasSuffix(#","faults":{"unavailable":2}}"#), "\(stats.text)")
      #expect(fixture.emulator.stats.faultsInjected == [.unavailable: 2])

      // A scripted fault comes first; then commit-then-reset writes and loses the answer.
      fixture.emulator.setRandomFaults(try RandomFaultRates([.commitReset: 1]), seed: 5)
      fixture.emulator.script(method: "POST", pathSuffix: "/assets/links", [.status(502, body: "")])
      #expect(try fixture.createLink(name: "a", url: "https://x/a").status == 502)
      #expect(throws: (any Error).self) { try fixture.createLink(name: "b", url: "https://x/b") }
      #expect(fixture.emulator.links(projectID: 24, tag: "v1.0").map(\.name) == ["b"])
      #expect(fixture.emulator.stats.faultsInjected == [.unavailable: 2, .commitReset: 1])

      fixture.emulator.setRandomFaults(nil)
      #expect(try fixture.get(Fixture.links).status == 200)
      #expect(!(try fixture.get("/-/emulator/stats")).text.contains("faults"))
    }
  }

  @Test func uploadsAreResetInsideTheirBodyAndNothingIsKept() throws {
    try Fixture.run { fixture throws in
      fixture.emulator.setRandomFaults(try RandomFaultRates([.bodyReset: 1]), seed: 9)
      let path = "/api/v4/projects/24/packages/generic/app/1.0/file.bin"
      #expect(throws: (any Error).self) {
        try HTTP.request(
          fixture.emulator.baseURL, "PUT", path, headers: [Fixture.dev],
          body: Array(repeating: 7, count: 100_000))
      }
      #expect(fixture.emulator.packageFiles.isEmpty)
      // A request that is not an upload is not given a body reset.
      #expect(try fixture.get(Fixture.links).status == 200)
      #expect(fixture.emulator.stats.faultsInjected == [.bodyReset: 1])
    }
  }
}
