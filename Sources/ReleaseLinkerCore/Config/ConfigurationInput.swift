/// The values given on the command line, before the environment and defaults are consulted.
///
/// The CLI fills this from its flags; nil means "not given". No field holds a secret: the token is only
/// ever read from the environment or from `--token-file`.
public struct ConfigurationInput: Sendable, Equatable {
  public var apiURL: String?
  public var project: String?
  public var tag: String?
  public var projectURL: String?
  public var jobID: String?
  public var jobName: String?
  public var root: String?
  public var tokenFile: String?
  public var caFile: String?
  public var timeout: Double?
  public var retries: Int?
  public var concurrency: Int?
  /// `--max-wait`: the longest single wait the rate limit may impose, in seconds.
  public var maxWait: Double?
  public var verbose: Bool

  public init(
    apiURL: String? = nil, project: String? = nil, tag: String? = nil, projectURL: String? = nil,
    jobID: String? = nil, jobName: String? = nil, root: String? = nil, tokenFile: String? = nil,
    caFile: String? = nil, timeout: Double? = nil, retries: Int? = nil, concurrency: Int? = nil,
    maxWait: Double? = nil, verbose: Bool = false
  ) {
    self.apiURL = apiURL
    self.project = project
    self.tag = tag
    self.projectURL = projectURL
    self.jobID = jobID
    self.jobName = jobName
    self.root = root
    self.tokenFile = tokenFile
    self.caFile = caFile
    self.timeout = timeout
    self.retries = retries
    self.concurrency = concurrency
    self.maxWait = maxWait
    self.verbose = verbose
  }
}
