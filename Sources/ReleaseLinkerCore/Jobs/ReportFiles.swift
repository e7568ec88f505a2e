import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files a run writes its reports to (`--report`, `--dotenv`): checked, and their folders
/// made, before anything is sent, then written however the run ends.
struct ReportFiles {
  struct Destination {
    /// The path as the user gave it, for messages.
    var given: String
    var path: String
    var flag: String
  }

  var report: Destination?
  var dotenv: Destination?

  /// Makes each missing folder (as test reporters do) and checks that the files can be written:
  /// a location that cannot is a usage error (64), found before any request.
  static func prepare(report: String?, dotenv: String?, context: Context) throws(UsageError)
    -> ReportFiles
  {
    func destination(_ file: String?, flag: String) throws(UsageError) -> Destination? {
      guard let file else { return nil }
      guard !file.isEmpty else { throw UsageError("\(flag) needs a file name, not an empty one.") }
      let path = file.hasPrefix("/") ? file : context.currentDirectory + "/" + file
      try makeFolder(of: path, given: file, flag: flag)
      var info = stat()
      if stat(path, &info) == 0 {
        guard info.st_mode & S_IFMT != S_IFDIR else {
          throw UsageError(
            "Cannot write the file '\(file)' given with \(flag): it is a folder. Give a file name.")
        }
        guard access(path, W_OK) == 0 else {
          throw UsageError(
            "Cannot write the file '\(file)' given with \(flag): \(lastError()). Give a file this "
              + "job may write, or make it writable.")
        }
      }
      return Destination(given: file, path: path, flag: flag)
    }
    return ReportFiles(
      report: try destination(report, flag: "--report"),
      dotenv: try destination(dotenv, flag: "--dotenv"))
  }

  /// Writes the JSON report and the dotenv report of `outcome`.
  func write(
    _ outcome: PublishOutcome, project: String?, tag: String?, dryRun: Bool, error: String? = nil,
    sections: [RunReport.Section] = []
  ) throws(UsageError) {
    if let report {
      var document = RunReport(
        outcome: outcome, project: project, tag: tag, dryRun: dryRun, error: error)
      document.sections = sections
      try Self.write(to: report) { write in document.writeJSON(write) }
    }
    if let dotenv {
      let text = try DotenvReport.render(tag: tag, counts: outcome.counts)
      try Self.write(to: dotenv) { write in write(text) }
    }
  }

  /// The one place a report file is written: afresh, never through a symbolic link, mode 0644
  /// (``ReportFile``).
  static func write(to destination: Destination, _ produce: ((String) -> Void) -> Void)
    throws(UsageError)
  {
    try ReportFile.replace(
      destination.path, shownAs: destination.given, flag: destination.flag, produce)
  }

  /// `mkdir -p` of the folder `path` is in.
  private static func makeFolder(of path: String, given: String, flag: String) throws(UsageError) {
    let components = path.split(separator: "/").dropLast()
    var folder = ""
    for component in components {
      folder += "/" + component
      var info = stat()
      if stat(folder, &info) == 0 {
        guard info.st_mode & S_IFMT == S_IFDIR else {
          throw UsageError(
            "Cannot write the file '\(given)' given with \(flag): '\(folder)' is not a folder.")
        }
        continue
      }
      guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
        throw UsageError(
          "Cannot write the file '\(given)' given with \(flag): cannot make its folder "
            + "'\(folder)': \(lastError()).")
      }
    }
    let parent = components.isEmpty ? "/" : "/" + components.joined(separator: "/")
    guard access(parent, W_OK) == 0 else {
      throw UsageError(
        "Cannot write the file '\(given)' given with \(flag): its folder '\(parent)' is not "
          + "writable (\(lastError())).")
    }
  }

  private static func lastError() -> String {
    String(cString: strerror(errno))
  }
}
