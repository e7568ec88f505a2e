import Foundation
import Testing

/// The tokens of the secrets suite, and every form of them that must never be shown or written.
enum SecretTokens {
  /// A CI/CD job token, as `CI_JOB_TOKEN` holds it (`glcbt-`, GitLab 16.9 and later).
  static let job = "glcbt-64_SECRET-Zq7-token"
  /// An access token in `GITLAB_TOKEN`, with characters that percent-encoding and base64 change.
  static let access = "glpat-S3CRET+Zq7/priv=tok"
  /// A job token read from `--token-file`.
  static let file = "glcbt-64_SECRET-Zq7-fromfile"
  static let all = [job, access, file]

  /// The token itself, percent-encoded (upper- and lower-case hex), and base64 (standard and URL
  /// alphabets) at each of the three offsets it may sit at inside a longer base64 text
  /// (`JOB-TOKEN: …` encoded whole): the characters that depend on the token's bytes alone.
  static func forms(of token: String) -> [String] {
    var forms = [token]
    for kept in [unreserved, CharacterSet.alphanumerics] {
      let encoded = token.addingPercentEncoding(withAllowedCharacters: kept) ?? token
      forms += [encoded, lowercasingHex(encoded)]
    }
    let bytes = Array(token.utf8)
    for offset in 0..<3 {
      let base64 = Data(Array(repeating: UInt8(0), count: offset) + bytes).base64EncodedString()
      let skip = [0, 2, 3][offset]
      let whole = (offset + bytes.count) / 3 * 4
      let core = String(Array(base64)[skip..<whole])
      forms.append(core)
      forms.append(
        core.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
    }
    return Array(Set(forms)).filter { $0.count >= 8 }
  }

  private static let unreserved = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

  private static func lowercasingHex(_ text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let percent = rest.firstIndex(of: "%") {
      result += rest[..<percent]
      let hex = rest[percent...].prefix(3)
      result += hex.lowercased()
      rest = rest[hex.endIndex...]
    }
    return result + rest
  }

  /// Where in `text` any form of any token appears, as short descriptions.
  static func leaks(in text: String, at place: String) -> [String] {
    var found: [String] = []
    for token in all {
      for form in forms(of: token) where text.contains(form) {
        found.append("\(place) holds \(form == token ? "the token" : "a form of it, \(form)")")
      }
    }
    return found
  }
}

/// How a user passes the token: the job's variable, an access token in `GITLAB_TOKEN` (the job
/// token is set too, as in any job), or a file named by `--token-file`.
enum TokenWay: String, CaseIterable, CustomStringConvertible {
  case jobTokenVariable = "CI_JOB_TOKEN"
  case accessTokenVariable = "GITLAB_TOKEN"
  case tokenFile = "--token-file"

  var description: String { rawValue }

  /// The token this way sends.
  var token: String {
    switch self {
    case .jobTokenVariable: SecretTokens.job
    case .accessTokenVariable: SecretTokens.access
    case .tokenFile: SecretTokens.file
    }
  }

  var environment: [String: String] {
    switch self {
    case .jobTokenVariable, .tokenFile: ["CI_JOB_TOKEN": SecretTokens.job]
    case .accessTokenVariable:
      ["CI_JOB_TOKEN": SecretTokens.job, "GITLAB_TOKEN": SecretTokens.access]
    }
  }
}

/// A job's folder (`work/`, CI_PROJECT_DIR), its TMPDIR (`tmp/`) and a token file kept beside
/// them (`secrets/`), all removed afterwards. After each run everything in `work/` and `tmp/`
/// (names and contents), stdout and stderr are searched for the tokens.
final class SecretSandbox {
  let root: URL
  var work: URL { root.appendingPathComponent("work") }
  var tmp: URL { root.appendingPathComponent("tmp") }
  var tokenFile: URL { root.appendingPathComponent("secrets/token") }

  init() throws {
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("secrets-\(UUID().uuidString)")
    for folder in ["work/bin", "tmp", "secrets"] {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    try Data("app binary\n".utf8).write(to: work.appendingPathComponent("bin/app"))
    try Data("\(SecretTokens.file)\n".utf8).write(to: tokenFile)
  }

  deinit {
    try? FileManager.default.removeItem(at: root)
  }

  /// The job's variables for `way`, with `extra` on top and TMPDIR in the sandbox.
  func environment(_ way: TokenWay, _ extra: [String: String]) -> [String: String] {
    var environment = [
      "CI_PROJECT_DIR": work.path, "TMPDIR": tmp.path, "CI_JOB_ID": "688",
      "CI_JOB_NAME": "release",
    ]
    environment.merge(way.environment) { $1 }
    environment.merge(extra) { $1 }
    return environment
  }

  /// The arguments with `--token-file` added for that way.
  func arguments(_ arguments: [String], _ way: TokenWay) -> [String] {
    way == .tokenFile ? arguments + ["--token-file", tokenFile.path] : arguments
  }

  /// Starts `release-linker` in `work/`.
  func start(_ arguments: [String], way: TokenWay, environment extra: [String: String]) throws
    -> RunningCLI
  {
    try CLIRunner.start(
      self.arguments(arguments, way), environment: environment(way, extra), in: work)
  }

  /// Runs `release-linker` in `work/` and returns what it printed and every leak found.
  func run(
    _ arguments: [String], way: TokenWay, environment extra: [String: String], timeout: Double = 60
  ) throws -> (CLIResult, [String]) {
    let result = try CLIRunner.run(
      self.arguments(arguments, way), environment: environment(way, extra), in: work,
      timeout: timeout)
    return (result, leaks(in: result))
  }

  func leaks(in result: CLIResult) -> [String] {
    SecretTokens.leaks(in: result.stdout, at: "stdout")
      + SecretTokens.leaks(in: result.stderr, at: "stderr") + leaksInFiles()
  }

  /// Every file under `work/` and `tmp/`: its path and its bytes.
  func leaksInFiles() -> [String] {
    var found: [String] = []
    for folder in [work, tmp] {
      guard let walker = FileManager.default.enumerator(atPath: folder.path) else { continue }
      while let name = walker.nextObject() as? String {
        let file = folder.appendingPathComponent(name)
        found += SecretTokens.leaks(in: name, at: "a file name in \(folder.lastPathComponent)/")
        if let data = FileManager.default.contents(atPath: file.path) {
          found += SecretTokens.leaks(
            in: String(decoding: data, as: UTF8.self),
            at: "\(folder.lastPathComponent)/\(name)")
        }
      }
    }
    return found
  }

  /// Removes what a run left in `work/out` and `tmp/`, so the next run's files are its own.
  func clearOutputs() throws {
    for folder in [work.appendingPathComponent("out"), tmp] {
      try? FileManager.default.removeItem(at: folder)
    }
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
  }
}
