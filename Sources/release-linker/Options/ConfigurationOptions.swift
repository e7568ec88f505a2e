import ArgumentParser
import ReleaseLinkerCore

/// The settings every command that talks to GitLab or derives links shares (README, "Configuration").
///
/// No flag takes a secret: the token comes from the environment or from `--token-file`.
struct ConfigurationOptions: ParsableArguments {
  @Option(
    name: .customLong("api-url"),
    help: "GitLab API root, e.g. https://gitlab.example.com/api/v4 (default: $CI_API_V4_URL).")
  var apiURL: String?

  @Option(help: "Project id or full path such as group/sub/project (default: $CI_PROJECT_ID).")
  var project: String?

  @Option(help: "The release's tag (default: $CI_COMMIT_TAG).")
  var tag: String?

  @Option(
    name: .customLong("project-url"),
    help: "Project web URL used in derived links (default: $CI_PROJECT_URL).")
  var projectURL: String?

  @Option(
    name: .customLong("job-id"),
    help: "Job whose artifacts the links point at (default: $CI_JOB_ID).")
  var jobID: String?

  @Option(
    name: .customLong("job-name"), help: "Job name used by --ref-urls (default: $CI_JOB_NAME).")
  var jobName: String?

  @Option(
    help: "Folder artifact paths are relative to (default: $CI_PROJECT_DIR, else the current one).")
  var root: String?

  @Option(
    name: .customLong("token-file"),
    help: "Read the token from this file (default: $GITLAB_TOKEN, else $CI_JOB_TOKEN).")
  var tokenFile: String?

  @Option(
    name: .customLong("ca-file"),
    help:
      "Extra CA certificates (PEM) to trust (default: $CI_SERVER_TLS_CA_FILE, $ADDITIONAL_CA_CERT_BUNDLE)."
  )
  var caFile: String?

  @Option(
    help:
      "Seconds one request may take, from connecting to the last byte; at least 0.001 (default: 30; for the --artifacts-job download, 600)."
  )
  var timeout: Double?

  @Option(help: "Retries after a network error, a 5xx or a 429 (default: 5).")
  var retries: Int?

  @Option(help: "Requests in flight at once (default: 4).")
  var concurrency: Int?

  @Option(
    name: .customLong("max-wait"),
    help: ArgumentHelp(
      "The longest wait GitLab may ask for (Retry-After, rate limits); a longer one stops the run with 69 and says when to retry (default: 120).",
      valueName: "seconds"))
  var maxWait: Double?

  @Option(
    help: ArgumentHelp(
      "Seconds the whole run may take; when they are up nothing more is sent, and what is left is reported failed (69). Default: no limit.",
      valueName: "seconds"))
  var deadline: Double?

  @Flag(help: "Trace every request and response on standard error (tokens redacted).")
  var verbose = false

  /// The flags as given, before the environment and defaults are consulted; `downloadSize` is
  /// `--max-download-size` of the commands that download.
  func input(downloadSize: Int64? = nil) -> ConfigurationInput {
    ConfigurationInput(
      apiURL: apiURL, project: project, tag: tag, projectURL: projectURL, jobID: jobID,
      jobName: jobName, root: root, tokenFile: tokenFile, caFile: caFile, timeout: timeout,
      retries: retries, concurrency: concurrency, maxWait: maxWait, deadline: deadline,
      maxDownloadSize: downloadSize, verbose: verbose)
  }

  /// The resolved configuration: flags over the context's environment over defaults.
  func configuration(_ context: Context, downloadSize: Int64? = nil) -> Configuration {
    Configuration(input: input(downloadSize: downloadSize), environment: context.environment)
  }
}
