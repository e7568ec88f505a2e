/// Which of the release's links that no asset matches `--prune` deletes: those inside every
/// `--prune-scope` given, and, unless `--prune-foreign`, only those whose URL points into this
/// project.
///
/// Two release jobs that publish different parts of one release with `--prune` each give their own
/// scope, so neither deletes the other's links. A link whose URL points elsewhere (a hand-made link to
/// a website, a mirror) was not made from artifacts, so no run of artifacts can say it is stale.
public struct PruneScope: Sendable {
  /// `--prune-scope` patterns, matched against the link's `direct_asset_path`, else its name; empty
  /// means every link.
  public let patterns: [GlobPattern]
  /// URL prefixes of this project's links; nil with `--prune-foreign` (links may point anywhere).
  public let projectPrefixes: [String]?

  /// Every link that no asset matches may be deleted, wherever it points.
  public static let everything = PruneScope(patterns: [], projectPrefixes: nil)

  public init(patterns: [GlobPattern], projectPrefixes: [String]?) {
    self.patterns = patterns
    self.projectPrefixes = projectPrefixes
  }

  /// The scope of `--prune-scope`, `--prune-foreign` and the project's URLs. Without
  /// `--prune-foreign` the project URL (`--project-url`, `CI_PROJECT_URL`) is required: it is what
  /// tells this project's links from the others.
  public init(
    patterns: [String], pruneForeign: Bool, configuration: Configuration
  ) throws(UsageError) {
    self.patterns = try patterns.map { pattern throws(UsageError) in
      try GlobPattern(Self.withoutLeadingSlash(pattern))
    }
    guard !pruneForeign else {
      projectPrefixes = nil
      return
    }
    let projectURL: String
    do {
      projectURL = try configuration.projectURL().value
    } catch {
      throw UsageError(
        "--prune deletes only links whose URL points into this project, and needs the project URL "
          + "to tell them apart: pass --project-url or set CI_PROJECT_URL, or pass --prune-foreign "
          + "to delete links that point anywhere.")
    }
    // GitLab calls a link internal when its URL starts with the project's web URL
    // (`Releases::Link#internal?`, app/models/releases/link.rb). API URLs of the project count too:
    // links to its generic packages are made with `{project_url}`-less templates such as
    // `$CI_API_V4_URL/projects/$CI_PROJECT_ID/packages/generic/…`.
    var prefixes = [projectURL + "/"]
    if let apiURL = try? configuration.apiURL().value {
      for project in Self.identifiers(configuration) {
        prefixes.append(apiURL + "/projects/" + project.pathSegment + "/")
      }
    }
    projectPrefixes = prefixes
  }

  /// Why `link`, which no asset matches, stays on the release under `--prune`; nil when it goes.
  public func reasonToKeep(_ link: ReleaseLink) -> KeepReason? {
    if !patterns.isEmpty {
      let subject = Self.withoutLeadingSlash(link.directAssetPath ?? link.name)
      guard patterns.contains(where: { $0.matches(subject) }) else { return .outsideScope }
    }
    if let projectPrefixes,
      !projectPrefixes.contains(where: { link.url.hasPrefix($0) || link.url + "/" == $0 })
    {
      return .foreign
    }
    return nil
  }

  /// The project as configured, and, when it came from the CI variables, both its id and its path.
  private static func identifiers(_ configuration: Configuration) -> [ProjectIdentifier] {
    guard let project = try? configuration.project() else { return [] }
    var identifiers = [project.value]
    if case .environment = project.source {
      for variable in ["CI_PROJECT_ID", "CI_PROJECT_PATH"] {
        if let value = configuration.environment[variable], value != project.value.rawValue {
          identifiers.append(ProjectIdentifier(value))
        }
      }
    }
    return identifiers
  }

  /// `/dist/**` and `dist/**` mean the same: a path's leading slash is not part of the match.
  static func withoutLeadingSlash(_ text: String) -> String {
    text.hasPrefix("/") ? String(text.dropFirst()) : text
  }
}

/// Why an existing link that no asset matches is kept.
public enum KeepReason: String, Sendable, Equatable {
  /// `--prune` was not given.
  case notPruning
  /// It lies outside every `--prune-scope`.
  case outsideScope
  /// Its URL points outside this project, and `--prune-foreign` was not given.
  case foreign
}
