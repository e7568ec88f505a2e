import ArgumentParser
import ReleaseLinkerCore

/// Where assets come from and how links are derived from them (README, "Configuration"; docs/scanning.md), shared by `scan`, `plan`
/// and `publish`.
struct AssetOptionGroup: ParsableArguments {
  @Argument(
    help: ArgumentHelp(
      "Files and directories to link, inside the root; directories are walked recursively. A PATH with * ? [ that names no file is expanded like --include.",
      valueName: "path"))
  var paths: [String] = []

  @Option(
    name: .customLong("archive"),
    help: ArgumentHelp(
      "An archive whose regular-file entries are the assets (zip, tar, tar.gz/bz2/xz/zst, 7z, …); read as a stream, never extracted. Needs --url-template: job artifact URLs do not serve entries inside an archive. Repeatable.",
      valueName: "file"))
  var archives: [String] = []

  @Option(
    name: .customLong("artifacts-job"), parsing: .unconditionalSingleValue,
    help: ArgumentHelp(
      "Download this job's artifacts archive through the API and scan it; its entries link to that job (PATHs still link to --job-id). Repeatable.",
      valueName: "job-id"))
  var artifactsJobs: [String] = []

  @Option(
    help: ArgumentHelp(
      "Only artifact paths matching this glob (* ? ** [a-z] [!x]; ** crosses '/'). Repeatable.",
      valueName: "glob"))
  var include: [String] = []

  @Option(
    help: ArgumentHelp(
      "Leave out artifact paths matching this glob. Repeatable.", valueName: "glob"))
  var exclude: [String] = []

  @Flag(name: .customLong("no-checksums"), help: "Do not compute SHA-256 checksums.")
  var noChecksums = false

  @Option(
    name: .customLong("url-template"),
    help: ArgumentHelp(
      "Link URL template (default: {project_url}/-/jobs/{job_id}/artifacts/raw/{path}). Placeholders: {project_url} {job_id} {job_name} {ref} {tag} {path} {basename} {stem} {ext}.",
      valueName: "template"))
  var urlTemplate: String?

  @Flag(
    name: .customLong("ref-urls"),
    help:
      "Use the by-ref permalink {project_url}/-/jobs/artifacts/{ref}/raw/{path}?job={job_name}.")
  var refURLs = false

  @Option(
    name: .customLong("name-template"),
    help: ArgumentHelp("Link name template (default: {basename}).", valueName: "template"))
  var nameTemplate: String?

  @Option(
    name: .customLong("asset-path-template"),
    help: ArgumentHelp(
      "direct_asset_path template (default: /{path}), made valid for GitLab.",
      valueName: "template"))
  var assetPathTemplate: String?

  @Flag(name: .customLong("no-direct-asset-path"), help: "Do not set direct_asset_path.")
  var noDirectAssetPath = false

  @Option(
    name: .customLong("link-type"),
    help: ArgumentHelp(
      "Link type for every link no --type-rule matches: other, runbook, image or package (default: inferred from the file name).",
      valueName: "type"),
    transform: LinkTypeArgument.parse)
  var linkType: LinkType?

  @Option(
    name: .customLong("type-rule"),
    help: ArgumentHelp(
      "TYPE=GLOB: links whose artifact path matches GLOB get TYPE. Repeatable; the first match wins.",
      valueName: "type=glob"),
    transform: AssetOptionGroup.typeRule)
  var typeRules: [TypeRule] = []

  mutating func validate() throws {
    for artifactsJob in artifactsJobs {
      try ValidationError.from { () throws(UsageError) in
        try JobIdentifier.checked(artifactsJob, named: "--artifacts-job")
      }
    }
    if urlTemplate != nil && refURLs {
      throw ValidationError("--url-template and --ref-urls cannot be used together.")
    }
    if assetPathTemplate != nil && noDirectAssetPath {
      throw ValidationError(
        "--asset-path-template and --no-direct-asset-path cannot be used together.")
    }
  }

  /// The options as the core takes them.
  func assetOptions() -> AssetOptions {
    AssetOptions(
      paths: paths, archives: archives, artifactsJobs: artifactsJobs, include: include,
      exclude: exclude, checksums: !noChecksums,
      derivation: DerivationOptions(
        urlTemplate: urlTemplate, refURLs: refURLs, nameTemplate: nameTemplate,
        assetPathTemplate: assetPathTemplate, directAssetPaths: !noDirectAssetPath,
        linkType: linkType, typeRules: typeRules.map { ($0.type, $0.pattern) }))
  }
}

/// One `--type-rule TYPE=GLOB`.
struct TypeRule {
  var type: LinkType
  var pattern: String
}

extension AssetOptionGroup {
  static func typeRule(_ argument: String) throws -> TypeRule {
    guard let equals = argument.firstIndex(of: "="),
      argument.index(after: equals) < argument.endIndex
    else {
      throw ValidationError(
        "--type-rule takes TYPE=GLOB, e.g. package='**/*.tar.gz', not '\(argument)'.")
    }
    let type = try LinkTypeArgument.parse(String(argument[..<equals]))
    return TypeRule(type: type, pattern: String(argument[argument.index(after: equals)...]))
  }
}
