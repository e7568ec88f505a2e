/// `release-linker scan`: the assets and the links they would become, offline except for
/// `--artifacts-job` downloads. Prints a table (or the JSON document) to the context's sink.
public enum ScanJob {
  public static func run(
    _ options: AssetOptions, configuration: Configuration, json: Bool, context: Context
  ) throws -> ExitStatus {
    var download: ((String, Int32) throws -> Void)?
    if options.artifactsJob != nil {
      // Only --artifacts-job needs GitLab: resolve the connection (and the token) for it alone.
      let connection = try context.connection(configuration)
      let project = try configuration.project().value
      download = { jobID, descriptor in
        try connection.downloadJobArtifacts(
          project: project, jobID: jobID, toFileDescriptor: descriptor)
      }
    }
    let links = try AssetPipeline.derive(
      options, configuration: configuration, context: context.escapingWarnings,
      downloadArtifacts: download)
    if json {
      RunReport.writeScanJSON(
        links, project: (try? configuration.project())?.value.rawValue,
        tag: (try? configuration.tag())?.value
      ) { context.sink.standardOutput($0) }
    } else {
      AssetTable.write(links) { context.sink.standardOutput($0) }
      let total = links.reduce(Int64(0)) { $0 + $1.asset.size }
      context.sink.standardError(
        "\(links.count) asset\(links.count == 1 ? "" : "s"), \(total) bytes.\n")
    }
    return .success
  }
}
