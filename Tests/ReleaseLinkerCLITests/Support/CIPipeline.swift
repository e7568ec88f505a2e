import Foundation
import Testing
import Yams

// MARK: - YAML values

/// A YAML value as GitLab sees it, with just the accessors the checks need.
enum YAMLValue: Equatable, CustomStringConvertible {
  case string(String)
  case bool(Bool)
  case int(Int)
  case double(Double)
  case null
  case list([YAMLValue])
  case map([String: YAMLValue])

  init(_ any: Any?) {
    switch any {
    case nil, is NSNull: self = .null
    case let value as String: self = .string(value)
    case let value as Bool: self = .bool(value)
    case let value as Int: self = .int(value)
    case let value as Double: self = .double(value)
    case let value as [Any]: self = .list(value.map(YAMLValue.init))
    case let value as [AnyHashable: Any]:
      var map: [String: YAMLValue] = [:]
      for (key, element) in value { map["\(key.base)"] = YAMLValue(element) }
      self = .map(map)
    case let value?: self = .string("\(value)")
    }
  }

  var string: String? { if case .string(let value) = self { value } else { nil } }
  var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
  var int: Int? { if case .int(let value) = self { value } else { nil } }
  var list: [YAMLValue]? { if case .list(let value) = self { value } else { nil } }
  var map: [String: YAMLValue]? { if case .map(let value) = self { value } else { nil } }

  /// The text a scalar stands for in a variable or an interpolation.
  var scalarText: String? {
    switch self {
    case .string(let value): value
    case .bool(let value): value ? "true" : "false"
    case .int(let value): String(value)
    case .double(let value): String(value)
    case .null: ""
    case .list, .map: nil
    }
  }

  /// JSON text, which is also YAML flow syntax: how GitLab interpolates an array input.
  var jsonText: String {
    switch self {
    case .string(let value):
      "\""
        + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
          of: "\"", with: "\\\"")
        + "\""
    case .bool, .int, .double: scalarText ?? ""
    case .null: "null"
    case .list(let values): "[" + values.map(\.jsonText).joined(separator: ", ") + "]"
    case .map(let map):
      "{"
        + map.keys.sorted().map {
          YAMLValue.string($0).jsonText + ": " + (map[$0]?.jsonText ?? "null")
        }
        .joined(separator: ", ") + "}"
    }
  }

  var description: String { jsonText }

  /// GitLab's merge for `extends` and included files: maps merge key by key, anything else is replaced.
  func merged(over base: YAMLValue) -> YAMLValue {
    guard case .map(let mine) = self, case .map(var result) = base else { return self }
    for (key, value) in mine {
      result[key] = result[key].map { value.merged(over: $0) } ?? value
    }
    return .map(result)
  }
}

// MARK: - Repository files

enum CIRepository {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Every YAML file under ci-templates/ and templates/, relative to the repository.
  static func yamlFiles() -> [String] {
    var files: [String] = []
    for folder in ["ci-templates", "templates"] {
      let base = root.appendingPathComponent(folder)
      guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
      while let path = walker.nextObject() as? String {
        if path.hasSuffix(".yml") || path.hasSuffix(".yaml") { files.append("\(folder)/\(path)") }
      }
    }
    return files.sorted()
  }

  static func text(_ file: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
  }

  /// Parses a whole file (a component's header and body are parsed as two documents).
  static func parseAll(_ file: String, text given: String? = nil) throws -> [YAMLValue] {
    // The sequence keeps a parse error aside instead of throwing it: look for it once drained.
    var documents = try Yams.load_all(yaml: given ?? text(file))
    var values: [YAMLValue] = []
    while let document = documents.next() { values.append(YAMLValue(document)) }
    if let error = documents.error { throw CITestError("\(file) is not valid YAML: \(error)") }
    return values
  }

  static func parse(_ file: String, text: String? = nil) throws -> YAMLValue {
    try parseAll(file, text: text).last ?? .null
  }

  /// The first ```yaml block after `heading` in a Markdown file of the repository.
  static func yamlBlock(in file: String, after heading: String) throws -> String {
    let markdown = try text(file)
    guard let section = markdown.range(of: heading),
      let open = markdown[section.upperBound...].range(of: "```yaml\n"),
      let close = markdown[open.upperBound...].range(of: "```")
    else { throw CITestError("\(file) has no ```yaml block after \(heading)") }
    return String(markdown[open.upperBound..<close.lowerBound])
  }
}

// MARK: - Component

/// A CI/CD component: a `spec: inputs:` header, `---`, and the jobs using `$[[ inputs.NAME ]]`.
struct CIComponent {
  var inputs: [String: YAMLValue]
  var body: String

  static func load(_ file: String) throws -> CIComponent {
    let text = try CIRepository.text(file)
    let documents = try CIRepository.parseAll(file)
    guard documents.count == 2, let separator = text.range(of: "\n---\n") else {
      throw CITestError("\(file) is not a spec header, `---` and a body")
    }
    let inputs = documents[0].map?["spec"]?.map?["inputs"]?.map ?? [:]
    return CIComponent(inputs: inputs, body: String(text[separator.upperBound...]))
  }

  static var interpolation: Regex<(Substring, Substring)> {
    #/\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]/#
  }

  var usedInputs: Set<String> {
    Set(body.matches(of: Self.interpolation).map { String($0.output.1) })
  }

  /// The body with every input replaced by the given value, else its default, as GitLab does.
  func interpolated(with given: [String: YAMLValue]) throws -> YAMLValue {
    var failures: [String] = []
    let text = body.replacing(Self.interpolation) { match in
      let name = String(match.output.1)
      guard let value = given[name] ?? inputs[name]?.map?["default"] else {
        failures.append(name)
        return ""
      }
      return value.scalarText ?? value.jsonText
    }
    if !failures.isEmpty { throw CITestError("inputs without a value: \(failures)") }
    return try YAMLValue(Yams.load(yaml: text))
  }
}

// MARK: - Pipeline

/// One file as GitLab would see it: its includes resolved to this repository's files, `extends` merged,
/// and each `parallel: matrix` job made into its jobs (`build: [linux-amd64]`, …).
struct CIPipeline {
  var file: String
  var configuration: [String: YAMLValue]
  /// The jobs a `parallel: matrix` job stands for, by its name, in the matrix's order.
  var matrixJobs: [String: [String]] = [:]

  static let reservedKeys: Set<String> = [
    "default", "include", "stages", "variables", "workflow", "image", "services", "cache",
    "before_script", "after_script", "spec",
  ]

  /// The pipeline of a repository file, or of `text` (a pipeline shown in the README) named `file`.
  static func load(_ file: String, text: String? = nil) throws -> CIPipeline {
    if file.hasPrefix("templates/") {
      return CIPipeline(
        file: file, configuration: try CIComponent.load(file).interpolated(with: [:]).map ?? [:])
    }
    let own = try CIRepository.parse(file, text: text)
    var merged = YAMLValue.map([:])
    for include in includes(of: own) {
      merged = try resolve(include, from: file).merged(over: merged)
    }
    merged = own.merged(over: merged)
    var pipeline = CIPipeline(file: file, configuration: merged.map ?? [:])
    try pipeline.expandMatrices()
    return pipeline
  }

  /// Replaces each visible job with `parallel: matrix` by one job per combination of values, named as
  /// GitLab names them (`build: [linux-amd64]`; several variables in the order of their names), with
  /// the values as variables and `CI_NODE_INDEX`/`CI_NODE_TOTAL` set.
  private mutating func expandMatrices() throws {
    for name in configuration.keys.sorted()
    where !Self.reservedKeys.contains(name) && !name.hasPrefix(".") {
      let job = resolvedJob(name)
      guard let parallel = job["parallel"] else { continue }
      guard let matrix = parallel.map?["matrix"]?.list else {
        throw CITestError("\(file), job \(name): only `parallel: matrix` is interpreted here")
      }
      var combinations: [[(String, String)]] = []
      for entry in matrix {
        var partial: [[(String, String)]] = [[]]
        for variable in (entry.map ?? [:]).keys.sorted() {
          let values: [YAMLValue] =
            switch entry.map?[variable] {
            case .list(let list)?: list
            case let value?: [value]
            case nil: []
            }
          partial = partial.flatMap { prefix in
            values.map { prefix + [(variable, $0.scalarText ?? "")] }
          }
        }
        combinations += partial
      }
      var names: [String] = []
      for (index, combination) in combinations.enumerated() {
        let jobName = "\(name): [" + combination.map(\.1).joined(separator: ", ") + "]"
        var expanded = job
        expanded["parallel"] = nil
        var variables = job["variables"]?.map ?? [:]
        for (variable, value) in combination { variables[variable] = .string(value) }
        variables["CI_NODE_INDEX"] = .string(String(index + 1))
        variables["CI_NODE_TOTAL"] = .string(String(combinations.count))
        expanded["variables"] = .map(variables)
        configuration[jobName] = .map(expanded)
        names.append(jobName)
      }
      configuration[name] = nil
      matrixJobs[name] = names
    }
  }

  private static func includes(of document: YAMLValue) -> [YAMLValue] {
    switch document.map?["include"] {
    case .list(let entries)?: entries
    case let entry?: [entry]
    case nil: []
    }
  }

  /// Maps an `include:` entry to the file of this repository it names.
  private static func resolve(_ include: YAMLValue, from file: String) throws -> YAMLValue {
    let entry = include.map ?? ["local": include]
    if let component = entry["component"]?.string {
      guard component.contains("/release-linker@") else {
        throw CITestError("\(file) includes a component not in this repository: \(component)")
      }
      let given = entry["inputs"]?.map ?? [:]
      return try CIComponent.load("templates/release-linker/template.yml").interpolated(with: given)
    }
    let path: String
    if let project = entry["file"]?.string, entry["project"] != nil {
      path = project
    } else if let remote = entry["remote"]?.string, let raw = remote.range(of: "/-/raw/") {
      // https://host/group/project/-/raw/REF/PATH
      path =
        remote[raw.upperBound...].split(separator: "/", maxSplits: 1).last.map(String.init) ?? ""
    } else if let local = entry["local"]?.string {
      path = local
    } else {
      throw CITestError("\(file) has an include this check cannot resolve: \(include)")
    }
    let relative = path.hasPrefix("/") ? String(path.dropFirst()) : path
    guard
      FileManager.default.fileExists(
        atPath: CIRepository.root.appendingPathComponent(relative).path)
    else { throw CITestError("\(file) includes \(path), which is not a file of this repository") }
    return try CIRepository.parse(relative)
  }

  /// A job with its `extends` chain merged in (hidden jobs included).
  func resolvedJob(_ name: String) -> [String: YAMLValue] {
    guard let job = configuration[name] else { return [:] }
    var bases: [String] = []
    switch job.map?["extends"] {
    case .string(let base)?: bases = [base]
    case .list(let list)?: bases = list.compactMap(\.string)
    default: break
    }
    var merged = YAMLValue.map([:])
    for base in bases { merged = YAMLValue.map(resolvedJob(base)).merged(over: merged) }
    var result = job.merged(over: merged).map ?? [:]
    result["extends"] = nil
    return result
  }

  private func scriptLines(_ job: [String: YAMLValue]) -> [String] {
    ["before_script", "script"].flatMap { key -> [String] in
      switch job[key] {
      case .list(let lines)?: lines.compactMap(\.string)
      case .string(let line)?: [line]
      default: []
      }
    }
  }

  /// The jobs that publish: their script runs `release-linker publish` (or `plan`).
  func publishingJobs() -> [String] {
    jobsCallingReleaseLinker().filter { name in
      scriptLines(resolvedJob(name)).contains {
        $0.contains("release-linker publish") || $0.contains("release-linker plan")
      }
    }
  }

  /// The jobs whose script runs release-linker: the visible ones, or the hidden ones where there are
  /// none (a template alone defines only a hidden job).
  func jobsCallingReleaseLinker() -> [String] {
    let calling = configuration.keys.filter { !Self.reservedKeys.contains($0) }.sorted().filter {
      name in
      scriptLines(resolvedJob(name)).contains { $0.contains("release-linker") }
    }
    let visible = calling.filter { !$0.hasPrefix(".") }
    return visible.isEmpty ? calling : visible
  }

  /// The id given to every job another job `needs`, so links can be traced to it.
  static let neededJobID = "1001"
  static let ownJobID = "2002"

  private static func predefined(jobID: String, jobName: String, directory: String) -> [String:
    String]
  {
    [
      "CI": "true", "GITLAB_CI": "true", "CI_COMMIT_TAG": "v1.2.3", "CI_COMMIT_REF_NAME": "v1.2.3",
      "CI_COMMIT_SHA": "0123456789abcdef0123456789abcdef01234567", "CI_JOB_ID": jobID,
      "CI_JOB_NAME": jobName, "CI_PROJECT_DIR": directory, "CI_PROJECT_ID": "20",
      "CI_PROJECT_PATH": "group/project",
      "CI_PROJECT_URL": "https://gitlab.example.com/group/project",
      "CI_SERVER_URL": "https://gitlab.example.com", "CI_SERVER_FQDN": "gitlab.example.com",
      "CI_API_V4_URL": "https://gitlab.example.com/api/v4", "CI_JOB_TOKEN": "job-token-value",
      "CI_DEFAULT_BRANCH": "main", "CI_PIPELINE_ID": "300",
    ]
  }

  /// `$NAME` and `${NAME}` replaced from `variables` (`$$` is a dollar), as GitLab expands variables.
  static func expand(_ text: String, _ variables: [String: String], unresolved: inout [String])
    -> String
  {
    var result = ""
    var rest = Substring(text)
    let reference = #/^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/#
    while let dollar = rest.firstIndex(of: "$") {
      result += rest[..<dollar]
      rest = rest[dollar...]
      if rest.hasPrefix("$$") {
        result += "$"
        rest = rest.dropFirst(2)
      } else if let match = rest.prefixMatch(of: reference) {
        let name = String(match.output.1 ?? match.output.2 ?? "")
        if let value = variables[name] { result += value } else { unresolved.append(name) }
        rest = rest[match.range.upperBound...]
      } else {
        result += "$"
        rest = rest.dropFirst()
      }
    }
    return result + rest
  }

  /// Variables another job exports through its dotenv report: `echo "KEY=VALUE" >> FILE` lines of its
  /// script whose FILE is its `artifacts:reports:dotenv`.
  private func dotenvExports(of jobName: String, directory: String, jobID: String) -> [String:
    String]
  {
    let job = resolvedJob(jobName)
    let reports: [String] =
      switch job["artifacts"]?.map?["reports"]?.map?["dotenv"] {
      case .string(let file)?: [file]
      case .list(let files)?: files.compactMap(\.string)
      default: []
      }
    let predefined = Self.predefined(jobID: jobID, jobName: jobName, directory: directory)
    var exports: [String: String] = [:]
    let line = #/^echo\s+"?([A-Za-z_][A-Za-z0-9_]*)=([^"]*)"?\s*>>\s*(\S+)\s*$/#
    for script in scriptLines(job) {
      guard let match = script.wholeMatch(of: line), reports.contains(String(match.output.3)) else {
        continue
      }
      var ignored: [String] = []
      exports[String(match.output.1)] = Self.expand(
        String(match.output.2), predefined, unresolved: &ignored)
    }
    return exports
  }

  /// The jobs `jobName` lists under `needs:`; a `parallel: matrix` job stands for all of its jobs.
  func needs(of jobName: String) throws -> [String] {
    var names: [String] = []
    for need in resolvedJob(jobName)["needs"]?.list ?? [] {
      guard let name = need.string ?? need.map?["job"]?.string else { continue }
      if let jobs = matrixJobs[name] {
        names += jobs
        continue
      }
      guard configuration[name] != nil else {
        throw CITestError("job \(jobName) needs \(name), which \(file) does not define")
      }
      names.append(name)
    }
    return names
  }

  /// The variables GitLab gives `jobName`'s script: the predefined ones (`overrides` win), the dotenv
  /// exports of the jobs it needs (which ran as `neededJobIDs` say, else as ``neededJobID``; none
  /// when `dotenvReports` is false, as when the build job's report never reached this job), and the
  /// file's and the job's `variables:`, expanded unless a variable says `expand: false`.
  func environment(
    of jobName: String, directory: String, jobID: String = ownJobID,
    overrides: [String: String] = [:], neededJobIDs: [String: String] = [:],
    dotenvReports: Bool = true
  ) throws -> (variables: [String: String], unresolved: [String]) {
    let job = resolvedJob(jobName)
    var known = Self.predefined(jobID: jobID, jobName: jobName, directory: directory)
    known.merge(overrides) { _, given in given }
    for need in try needs(of: jobName) where dotenvReports {
      let exports = dotenvExports(
        of: need, directory: directory, jobID: neededJobIDs[need] ?? Self.neededJobID)
      known.merge(exports) { _, exported in exported }
    }
    var declared: [String: String] = [:]
    var raw: Set<String> = []
    for scope in [configuration["variables"]?.map ?? [:], job["variables"]?.map ?? [:]] {
      for (name, value) in scope {
        declared[name] = value.scalarText ?? value.map?["value"]?.scalarText ?? ""
        if value.map?["expand"]?.bool == false { raw.insert(name) } else { raw.remove(name) }
      }
    }
    var unresolved: [String] = []
    var environment = known
    for (name, value) in declared {
      environment[name] =
        raw.contains(name)
        ? value
        : Self.expand(value, known.merging(declared) { _, mine in mine }, unresolved: &unresolved)
    }
    environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
    for name in CLIRunner.sanitizerOptions {
      environment[name] = ProcessInfo.processInfo.environment[name]
    }
    return (environment, unresolved)
  }

  /// The job's `before_script` and `script`, one command a line, as the runner joins them.
  func script(of jobName: String) -> String {
    scriptLines(resolvedJob(jobName)).joined(separator: "\n")
  }

  /// Runs the job's `before_script` and `script` in bash with the variables GitLab would set, where
  /// `release-linker` is a shell function recording its arguments; returns the recorded calls.
  func runScript(of jobName: String) throws -> ScriptRun {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("ci-template-\(UUID().uuidString)")
    let captures = directory.appendingPathComponent(".calls")
    try FileManager.default.createDirectory(at: captures, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    var (environment, unresolved) = try self.environment(of: jobName, directory: directory.path)
    environment["RELEASE_LINKER_CALLS"] = captures.path

    let harness = """
      set -eo pipefail
      release_linker_calls=0
      release-linker() {
        release_linker_calls=$((release_linker_calls + 1))
        printf '%s\\0' "$@" > "$RELEASE_LINKER_CALLS/$(printf '%04d' "$release_linker_calls")"
      }

      """
    let script = script(of: jobName)
    let syntax = try Self.shell(
      ["/bin/sh", "-n", "-c", script], environment: environment, in: directory)
    if syntax.status != 0 {
      return ScriptRun(
        status: syntax.status, stderr: "not POSIX sh: " + syntax.stderr, calls: [],
        unresolvedVariables: unresolved)
    }
    let run = try Self.shell(
      ["/bin/bash", "-c", harness + script], environment: environment, in: directory)
    let recorded = try FileManager.default.contentsOfDirectory(atPath: captures.path).sorted()
    let calls = try recorded.map { name -> [String] in
      let data = try Data(contentsOf: captures.appendingPathComponent(name))
      return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
        String(decoding: $0, as: UTF8.self)
      }
    }
    return ScriptRun(
      status: run.status, stderr: run.stderr, calls: calls, unresolvedVariables: unresolved)
  }

  /// Runs a script in bash as the runner does (`set -eo pipefail`), with exactly `environment`.
  static func bash(_ script: String, environment: [String: String], in directory: URL) throws
    -> (status: Int32, stderr: String)
  {
    try shell(
      ["/bin/bash", "-c", "set -eo pipefail\n" + script], environment: environment, in: directory)
  }

  private static func shell(_ command: [String], environment: [String: String], in directory: URL)
    throws
    -> (status: Int32, stderr: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    process.environment = environment
    process.currentDirectoryURL = directory
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
  }
}

struct ScriptRun {
  var status: Int32
  var stderr: String
  /// The arguments of each `release-linker` call, in order.
  var calls: [[String]]
  var unresolvedVariables: [String]
}

extension Array where Element == String {
  /// The argument following `flag` (or given as `flag=value`).
  func value(after flag: String) -> String? {
    for (index, argument) in enumerated() {
      if argument == flag { return index + 1 < count ? self[index + 1] : nil }
      if argument.hasPrefix(flag + "=") { return String(argument.dropFirst(flag.count + 1)) }
    }
    return nil
  }
}

// MARK: - The real binary's help

/// What the built `release-linker` says it accepts, command by command.
enum ReleaseLinkerHelp {
  private static let cache = HelpCache()

  /// Why `release-linker <arguments>` would be refused: an unknown command, or flags it does not list.
  static func problems(with arguments: [String]) throws -> [String] {
    var path: [String] = []
    var index = 0
    var help = try cache.help(path)
    while index < arguments.count, !arguments[index].hasPrefix("-") {
      let word = arguments[index]
      guard subcommands(in: help.text).contains(word) else { break }
      path.append(word)
      help = try cache.help(path)
      index += 1
    }
    let command = (["release-linker"] + path).joined(separator: " ")
    guard help.status == 0 else {
      return ["`\(command) --help` exited \(help.status): \(help.stderr)"]
    }
    if path.isEmpty, index < arguments.count, !arguments[index].hasPrefix("-") {
      return [
        "`release-linker \(arguments[index])` is not a command (release-linker --help lists: \(subcommands(in: help.text).joined(separator: ", ")))"
      ]
    }
    let accepted = flags(in: help.text)
    var problems: [String] = []
    for argument in arguments[index...] {
      if argument == "--" { break }
      guard argument.hasPrefix("-"), argument.count > 1 else { continue }
      let flag = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
      if !accepted.contains(flag) {
        problems.append(
          "`\(command)` has no flag \(flag) (its --help lists \(accepted.sorted().joined(separator: " ")))"
        )
      }
    }
    return problems
  }

  /// Names listed under SUBCOMMANDS.
  static func subcommands(in help: String) -> [String] {
    var names: [String] = []
    var inList = false
    for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("SUBCOMMANDS:") {
        inList = true
      } else if inList {
        if line.isEmpty { break }
        if line.hasPrefix("  "), let name = line.split(separator: " ").first {
          names.append(String(name))
        }
      }
    }
    return names
  }

  /// Flags defined by the help's option lines: those indented by exactly two spaces and starting with
  /// `-` (wrapped descriptions are indented further).
  static func flags(in help: String) -> Set<String> {
    var flags: Set<String> = []
    for line in help.split(separator: "\n") where line.hasPrefix("  -") {
      let names = line.dropFirst(2).components(separatedBy: "  ").first ?? ""
      // `-o, --output <output>`, `--checksums/--no-checksums`: the words starting with a dash.
      for word in names.split(whereSeparator: { " ,/[]".contains($0) }) where word.hasPrefix("-") {
        flags.insert(String(word))
      }
    }
    return flags
  }
}

/// Each command's help is asked for once per test run.
private final class HelpCache: @unchecked Sendable {
  private let lock = NSLock()
  private var texts: [[String]: (status: Int32, text: String, stderr: String)] = [:]

  func help(_ path: [String]) throws -> (status: Int32, text: String, stderr: String) {
    if let known = lock.withLock({ texts[path] }) { return known }
    let result = try CLIRunner.run(path + ["--help"], environment: ["COLUMNS": "200"])
    let entry = (result.status, result.stdout, result.stderr)
    lock.withLock { texts[path] = entry }
    return entry
  }
}

struct CITestError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
