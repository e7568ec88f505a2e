/// `release-linker scan`: the assets and the links they would become, offline except for
/// `--artifacts-job` downloads. Prints a table (or the JSON document) to the context's sink, and
/// with `--manifest FILE` writes the links as a manifest for a release job (docs/manifests.md).
public enum ScanJob {
  public static func run(
    _ options: AssetOptions, configuration: Configuration, json: Bool, manifest: String? = nil,
    context: Context, checksumsFile: String? = nil
  ) throws -> ExitStatus {
    // A manifest names its project and tag: settle both before anything is read.
    if manifest != nil { _ = try LinkManifest.of([], configuration: configuration) }
    // `--checksums` needs its folder before anything is scanned.
    let checksums = try checksumsFile.map { try ChecksumsOutput($0, context: context) }
    var download: ((String, Int32) throws -> Void)?
    var connection: GitLabConnection?
    if !options.artifactsJobs.isEmpty {
      // Only --artifacts-job needs GitLab: resolve the connection (and the token) for it alone.
      let connected = try context.connection(configuration)
      let project = try configuration.project().value
      download = { jobID, descriptor in
        try connected.downloadJobArtifacts(
          project: project, jobID: jobID, toFileDescriptor: descriptor)
      }
      connection = connected
    }
    var links = try AssetPipeline.derive(
      options, configuration: configuration, context: context.escapingWarnings,
      downloadArtifacts: download)
    if let connection { try LinksHoldingSecrets.refuse(links, connection: connection) }
    if let checksums {
      links = checksums.excludingItself(links)
      try checksums.write(checksums.entries(of: links))
    }
    if let manifest {
      try LinkManifest.of(links, configuration: configuration)
        .write(to: manifest, currentDirectory: context.currentDirectory)
      context.sink.standardError(
        "Wrote \(links.count) link\(links.count == 1 ? "" : "s") to the manifest '\(manifest)'.\n")
    }
    if json {
      RunReport.writeScanJSON(
        links, project: (try? configuration.project())?.value.rawValue,
        tag: (try? configuration.tag())?.value
      ) { context.sink.standardOutput($0) }
    } else {
      let width = OutputWidth.columns(environment: context.environment, sink: context.sink)
      AssetTable.write(links, width: width) { context.sink.standardOutput($0) }
      let total = links.reduce(Int64(0)) { $0 + $1.asset.size }
      context.sink.standardError(
        "\(links.count) asset\(links.count == 1 ? "" : "s"), \(total) bytes.\n")
    }
    return .success
  }
}
