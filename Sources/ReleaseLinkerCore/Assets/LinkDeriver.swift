/// How links are derived from assets (docs/scanning.md).
public struct DerivationOptions: Sendable {
  /// `--url-template`; nil for the default (or the by-ref form with ``refURLs``).
  public var urlTemplate: String?
  /// `--ref-urls`: point at `/-/jobs/artifacts/{ref}/raw/{path}?job={job_name}`.
  public var refURLs: Bool
  /// `--name-template`; nil for `{basename}`.
  public var nameTemplate: String?
  /// `--asset-path-template`; nil for `/{path}`.
  public var assetPathTemplate: String?
  /// False with `--no-direct-asset-path`.
  public var directAssetPaths: Bool
  /// `--link-type`: the type of every link no `--type-rule` matched.
  public var linkType: LinkType?
  /// `--type-rule TYPE=GLOB`, in order; the first match wins.
  public var typeRules: [(LinkType, String)]
  /// With `--ref-urls`, take the job name from `--job-name` only, never from `CI_JOB_NAME`: in
  /// `publish` and `plan` that variable names the release job, which did not build the artifacts.
  public var jobNameFlagRequired: Bool

  public init(
    urlTemplate: String? = nil, refURLs: Bool = false, nameTemplate: String? = nil,
    assetPathTemplate: String? = nil, directAssetPaths: Bool = true, linkType: LinkType? = nil,
    typeRules: [(LinkType, String)] = [], jobNameFlagRequired: Bool = false
  ) {
    self.urlTemplate = urlTemplate
    self.refURLs = refURLs
    self.nameTemplate = nameTemplate
    self.assetPathTemplate = assetPathTemplate
    self.directAssetPaths = directAssetPaths
    self.linkType = linkType
    self.typeRules = typeRules
    self.jobNameFlagRequired = jobNameFlagRequired
  }

  /// True when the URLs are GitLab's job-artifacts URLs (the default or `--ref-urls`): they serve
  /// the files of a job's artifacts, not the entries inside an archive that is one of them.
  public var pointsAtJobArtifacts: Bool { urlTemplate == nil }

  public static let defaultURLTemplate = "{project_url}/-/jobs/{job_id}/artifacts/raw/{path}"
  public static let refURLTemplate =
    "{project_url}/-/jobs/artifacts/{ref}/raw/{path}?job={job_name}"
  public static let defaultNameTemplate = "{basename}"
  public static let defaultAssetPathTemplate = "/{path}"
}

/// Turns assets into links: renders the URL, name and `direct_asset_path` templates and picks the
/// link type.
public struct LinkDeriver: Sendable {
  let urlTemplate: LinkTemplate
  let nameTemplate: LinkTemplate
  let assetPathTemplate: LinkTemplate?
  let typeRules: LinkTypeRules
  /// The run-wide values (project URL, job, tag), resolved only for the placeholders used.
  let settings: [LinkTemplate.Placeholder: String]

  /// Parses the templates and resolves exactly the settings they use, so `scan` with the default
  /// templates needs no tag or job name. Throws ``UsageError`` for an unknown placeholder, a bad
  /// `--type-rule` pattern or a missing setting.
  /// - Parameter defaultJobAssets: whether some assets are files of the default job (`--job-id`,
  ///   else `CI_JOB_ID`): PATHs and local archives. An `--artifacts-job` download carries its own
  ///   job id in each asset, so a run of only that needs no `--job-id`.
  public init(
    options: DerivationOptions, configuration: Configuration, defaultJobAssets: Bool = true
  ) throws(UsageError) {
    urlTemplate = try LinkTemplate(
      options.urlTemplate
        ?? (options.refURLs
          ? DerivationOptions.refURLTemplate : DerivationOptions.defaultURLTemplate),
      option: options.urlTemplate == nil ? "--ref-urls" : "--url-template")
    nameTemplate = try LinkTemplate(
      options.nameTemplate ?? DerivationOptions.defaultNameTemplate, option: "--name-template")
    assetPathTemplate =
      options.directAssetPaths
      ? try LinkTemplate(
        options.assetPathTemplate ?? DerivationOptions.defaultAssetPathTemplate,
        option: "--asset-path-template") : nil
    var rules: [(type: LinkType, pattern: GlobPattern)] = []
    for (type, pattern) in options.typeRules {
      rules.append((type, try GlobPattern(pattern)))
    }
    typeRules = LinkTypeRules(rules: rules, fallback: options.linkType)

    var used = urlTemplate.placeholders.union(nameTemplate.placeholders)
    if let assetPathTemplate { used.formUnion(assetPathTemplate.placeholders) }
    var settings: [LinkTemplate.Placeholder: String] = [:]
    do {
      for placeholder in used {
        switch placeholder {
        case .projectURL: settings[placeholder] = try configuration.projectURL().value
        case .jobID:
          if defaultJobAssets { settings[placeholder] = try configuration.jobID().value }
        case .jobName:
          if options.refURLs && options.urlTemplate == nil && options.jobNameFlagRequired
            && configuration.input.jobName == nil
          {
            throw UsageError(
              "--ref-urls points each link at the artifacts of the job named by --job-name, and "
                + "publish and plan need it given: CI_JOB_NAME names this release job, which did "
                + "not build the artifacts. Pass --job-name with the name of the job that did.")
          }
          settings[placeholder] = try configuration.jobName().value
        case .ref, .tag: settings[placeholder] = try configuration.tag().value
        case .path, .basename, .stem, .ext: break
        }
      }
    } catch let error as UsageError {
      throw error
    } catch {
      throw UsageError("\(error)")
    }
    self.settings = settings
  }

  /// The link `asset` should have.
  /// The links of every asset of a run. Paths that only the rewrite made alike are told apart by a
  /// hash of their original text (see ``DirectAssetPath``); paths given alike stay alike, for the
  /// collision check to report.
  public func deriveAll(_ assets: [Asset]) -> [DerivedLink] {
    var links = assets.map { derive($0) }
    // One dictionary entry per path and a list of the few shared ones, rather than a list per path:
    // a run may have 100,000 assets.
    var firstOwner: [String: Int] = [:]
    firstOwner.reserveCapacity(links.count)
    var shared: [Int] = []
    for (index, link) in links.enumerated() {
      guard let path = link.directAssetPath else { continue }
      if let first = firstOwner.updateValue(index, forKey: path) {
        shared.append(first)
        shared.append(index)
      }
    }
    for index in Set(shared) {
      links[index] = derive(assets[index], disambiguatingPath: true)
    }
    return links
  }

  /// The link of one asset; `disambiguatingPath` as in ``DirectAssetPath/make(_:disambiguating:)``.
  public func derive(_ asset: Asset, disambiguatingPath: Bool = false) -> DerivedLink {
    let file = FileName(asset.artifactPath)
    func raw(_ placeholder: LinkTemplate.Placeholder) -> String {
      switch placeholder {
      case .path: asset.artifactPath
      case .basename: file.basename
      case .stem: file.stem
      case .ext: file.ext
      case .jobID: asset.jobID ?? settings[placeholder] ?? ""
      default: settings[placeholder] ?? ""
      }
    }
    let url = urlTemplate.render { placeholder in
      switch placeholder {
      // The project URL is already a URL; everything else is data placed inside one.
      case .projectURL: raw(placeholder)
      case .path: PercentEncoding.path(raw(placeholder))
      default: PercentEncoding.segment(raw(placeholder))
      }
    }
    let name = nameTemplate.render(raw)
    let directAssetPath = assetPathTemplate.map {
      DirectAssetPath.make($0.render(raw), disambiguating: disambiguatingPath)
    }
    return DerivedLink(
      asset: asset, name: name, url: url, directAssetPath: directAssetPath,
      linkType: typeRules.type(for: asset.artifactPath))
  }
}

/// Links a run cannot send, found before any request: each link with the reason it is refused.
///
/// The sentence lists every problem at once; the links come along so that the reports of the run
/// still list each link with its status (exit 65).
public struct RefusedLinksError: ReleaseLinkerError {
  public let message: String
  /// Every link of the run, in order.
  public let links: [DerivedLink]
  /// Why the link at an index of ``links`` is refused; links not named here are fine.
  public let problems: [Int: String]

  public var exitStatus: ExitStatus { .dataError }

  public init(message: String, links: [DerivedLink], problems: [Int: String]) {
    self.message = message
    self.links = links
    self.problems = problems
  }
}

/// Finds derived links that would take the same `name`, `url` or `direct_asset_path` of a release,
/// which GitLab refuses; all of them are reported at once, before anything is sent.
public enum LinkCollisions {
  /// Throws one ``RefusedLinksError`` listing every collision, or returns when there is none.
  public static func check(_ links: [DerivedLink]) throws(RefusedLinksError) {
    var lines: [String] = []
    var problems: [Int: String] = [:]
    func collect(_ field: String, _ value: (DerivedLink) -> String?) {
      // Most runs have no collision: remember each value's first owner, and build lists only for
      // values seen twice.
      var first: [String: Int] = [:]
      first.reserveCapacity(links.count)
      var repeated: [String: [Int]] = [:]
      var order: [String] = []
      for (index, link) in links.enumerated() {
        guard let key = value(link) else { continue }
        if let owner = first[key] {
          if repeated[key] == nil {
            repeated[key] = [owner]
            order.append(key)
          }
          repeated[key, default: []].append(index)
        } else {
          first[key] = index
        }
      }
      for key in order {
        guard let owners = repeated[key] else { continue }
        let list = owners.map { links[$0].asset.quotedSource }.joined(separator: ", ")
        lines.append("  \(field) '\(key)' from \(list)")
        for owner in owners {
          let note = "Its \(field) '\(key)' is also derived from another asset of this run."
          problems[owner] = problems[owner].map { $0 + " " + note } ?? note
        }
      }
    }
    collect("name", \.name)
    collect("url", \.url)
    collect("direct_asset_path", \.directAssetPath)
    guard !lines.isEmpty else { return }
    throw RefusedLinksError(
      message: "\(lines.count) collision\(lines.count == 1 ? "" : "s") between derived links "
        + "(GitLab requires each name, url and direct_asset_path to be unique within a release); "
        + "nothing was sent. Change the templates, --include/--exclude, or rename the files (for "
        + "manifests: in the build jobs that wrote them):\n"
        + lines.joined(separator: "\n"),
      links: links, problems: problems)
  }
}
