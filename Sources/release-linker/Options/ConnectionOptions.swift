import ArgumentParser
import ReleaseLinkerCore

/// How to reach GitLab and which release: what every command that talks to GitLab needs
/// (README, "Configuration").
///
/// No flag takes a secret: the token comes from the environment or from `--token-file`.
struct ConnectionOptions: ParsableArguments {
  @Option(
    name: .customLong("api-url"),
    help:
      "GitLab API root, e.g. https://gitlab.example.com/api/v4 (default: $CI_API_V4_URL, else $CI_SERVER_URL/api/v4)."
  )
  var apiURL: String?

  @Option(
    help:
      "Project id or full path such as group/sub/project (default: $CI_PROJECT_ID, else $CI_PROJECT_PATH)."
  )
  var project: String?

  @Option(help: "The release's tag (default: $CI_COMMIT_TAG).")
  var tag: String?

  @Option(
    name: .customLong("token-file"),
    help:
      "Read the token from this file (default: $GITLAB_TOKEN, else $CI_JOB_TOKEN). Wherever it came from, a job token (glcbt-..., or equal to $CI_JOB_TOKEN) is sent as JOB-TOKEN, an access token as PRIVATE-TOKEN, an OAuth token as Authorization: Bearer; a deploy token is refused."
  )
  var tokenFile: String?

  @Option(
    name: .customLong("ca-file"),
    help:
      "Extra CA certificates (PEM) to trust (default: $CI_SERVER_TLS_CA_FILE, $ADDITIONAL_CA_CERT_BUNDLE)."
  )
  var caFile: String?

  // Numbers take the next word whatever it is, so `--retries -1` is told it is out of range
  // rather than that its value is missing.
  @Option(parsing: .unconditional, help: "Seconds one request may take (default: 30).")
  var timeout: Double?

  @Option(
    parsing: .unconditional, help: "Retries after a network error, a 5xx or a 429 (default: 5).")
  var retries: Int?

  @Option(
    name: .customLong("max-wait"), parsing: .unconditional,
    help: ArgumentHelp(
      "The longest single wait GitLab's rate limit may impose (Retry-After, RateLimit-Reset); a longer one stops the run at once with 69 and says when to retry (default: 120).",
      valueName: "seconds"))
  var maxWait: Double?

  @Flag(help: "Trace every request and response on standard error (credentials redacted).")
  var verbose = false

  func apply(to input: inout ConfigurationInput) {
    input.apiURL = apiURL
    input.project = project
    input.tag = tag
    input.tokenFile = tokenFile
    input.caFile = caFile
    input.timeout = timeout
    input.retries = retries
    input.maxWait = maxWait
    input.verbose = verbose
  }

  /// The resolved configuration of a command that only talks to GitLab.
  func configuration(_ context: Context) -> Configuration {
    var input = ConfigurationInput()
    apply(to: &input)
    return Configuration(input: input, environment: context.environment)
  }
}

/// What derived links are built from: the project's web URL, the job and the root of the artifact
/// paths. Shared by `scan`, `plan` and `publish`.
struct LinkSettingsOptions: ParsableArguments {
  @Option(
    name: .customLong("project-url"),
    help: "Project web URL used in derived links (default: $CI_PROJECT_URL).")
  var projectURL: String?

  @Option(
    name: .customLong("job-id"), parsing: .unconditional,
    help:
      "Numeric id of the job whose artifacts PATHs and --archive entries link to (default: $CI_JOB_ID); an empty value is an error."
  )
  var jobID: String?

  @Option(
    name: .customLong("job-name"),
    help:
      "Job name used by --ref-urls: the job that built the artifacts (default in scan: $CI_JOB_NAME; publish and plan need it given)."
  )
  var jobName: String?

  @Option(
    help: "Folder artifact paths are relative to (default: $CI_PROJECT_DIR, else the current one).")
  var root: String?

  func validate() throws {
    if let jobID {
      try ValidationError.from { () throws(UsageError) in
        try JobIdentifier.checked(jobID, named: "--job-id")
      }
    }
  }

  func apply(to input: inout ConfigurationInput) {
    input.projectURL = projectURL
    input.jobID = jobID
    input.jobName = jobName
    input.root = root
  }
}

extension ValidationError {
  /// Runs `body`, turning the core's usage error into ArgumentParser's (exit 64, usage shown).
  @discardableResult
  static func from<T>(_ body: () throws(UsageError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      throw ValidationError(error.message)
    }
  }
}
