/// The endpoints the emulator serves. Matching works on the raw path, one segment per parameter, so
/// an unencoded `/` inside a project path or tag matches nothing; segments are decoded afterwards.
enum Route: Equatable, Sendable {
  case project(id: String)
  case releases(project: String)
  case release(project: String, tag: String)
  case links(project: String, tag: String)
  case link(project: String, tag: String, linkID: String)
  case jobArtifacts(project: String, jobID: String)
  case packageFile(project: String, name: String, version: String, file: String)
  case storageObject(name: String)
  case emulatorStats
  case emulatorLinks(project: String, tag: String)

  /// The methods each route answers; any other method is an unmatched route.
  var methods: Set<String> {
    switch self {
    case .project, .release, .jobArtifacts, .storageObject: return ["GET"]
    case .releases, .links: return ["GET", "POST"]
    case .link: return ["GET", "PUT", "DELETE"]
    case .packageFile: return ["GET", "PUT"]
    case .emulatorStats: return ["GET", "DELETE"]
    case .emulatorLinks: return ["GET"]
    }
  }

  var isEmulatorControl: Bool {
    switch self {
    case .emulatorStats, .emulatorLinks: return true
    default: return false
    }
  }

  static func match(method: String, rawPath: String) -> Route? {
    guard let route = match(rawPath: rawPath), route.methods.contains(method) else { return nil }
    return route
  }

  static func match(rawPath: String) -> Route? {
    let raw = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
    // An empty segment (`//`, a trailing `/`) never names a parameter.
    guard rawPath.hasPrefix("/"), !raw.contains(where: \.isEmpty) else { return nil }
    let segments = raw.map { PercentDecoding.decode($0) }
    let literal = raw.map(String.init)

    if literal.starts(with: ["-", "emulator"]) {
      switch literal.count {
      case 3 where literal[2] == "stats": return .emulatorStats
      case 5 where literal[2] == "links":
        return .emulatorLinks(project: segments[3], tag: segments[4])
      default: return nil
      }
    }

    if literal.count == 2, literal[0] == "object-storage" {
      return .storageObject(name: segments[1])
    }

    guard literal.count >= 4, literal.starts(with: ["api", "v4", "projects"]) else { return nil }
    let project = segments[3]
    let rest = Array(literal.dropFirst(4))
    let decoded = Array(segments.dropFirst(4))
    switch rest.count {
    case 0:
      return .project(id: project)
    case 1 where rest[0] == "releases":
      return .releases(project: project)
    case 2 where rest[0] == "releases":
      return .release(project: project, tag: decoded[1])
    case 4 where rest[0] == "releases" && rest[2] == "assets" && rest[3] == "links":
      return .links(project: project, tag: decoded[1])
    case 5 where rest[0] == "releases" && rest[2] == "assets" && rest[3] == "links":
      return .link(project: project, tag: decoded[1], linkID: decoded[4])
    case 3 where rest[0] == "jobs" && rest[2] == "artifacts":
      return .jobArtifacts(project: project, jobID: decoded[1])
    case 5 where rest[0] == "packages" && rest[1] == "generic":
      return .packageFile(project: project, name: decoded[2], version: decoded[3], file: decoded[4])
    default:
      return nil
    }
  }
}
