import FoundationEssentials

/// GitLab answered with an error status; keeps the status and GitLab's own words.
public struct GitLabAPIError: ReleaseLinkerError, WriteFailureClassifying, Equatable {
  public var status: Int
  /// What GitLab said, from `{"error": …}`, `{"message": …}` or a plain-text/HTML body.
  public var gitLabMessage: String
  public var method: HTTPMethod
  /// The API path, e.g. `/projects/24/releases/v0.1/assets/links`.
  public var path: String
  /// How many times the request was sent.
  public var attempts: Int
  /// Where the token came from and what kind it is, so a 401 can say which one was refused.
  public var token: (kind: Token.Kind, source: SettingSource)?
  /// True when the server knows no such route (GitLab's `{"error": "404 Not Found"}`), rather than
  /// a missing project, release, link or job (`{"message": "404 … Not found"}`): the API root is
  /// not GitLab's.
  public var isUnknownRoute: Bool

  public init(
    status: Int, gitLabMessage: String, method: HTTPMethod, path: String, attempts: Int = 1,
    isUnknownRoute: Bool = false, token: (kind: Token.Kind, source: SettingSource)? = nil
  ) {
    self.status = status
    self.gitLabMessage = gitLabMessage
    self.method = method
    self.path = path
    self.attempts = attempts
    self.isUnknownRoute = isUnknownRoute
    self.token = token
  }

  /// Builds the error from a response, decoding GitLab's message from its body.
  public init(
    response: HTTPResponse, method: HTTPMethod, path: String,
    token: (kind: Token.Kind, source: SettingSource)? = nil
  ) {
    self.init(
      status: response.status,
      gitLabMessage: Self.decodeMessage(
        body: response.body, status: response.status),
      method: method, path: path, attempts: response.attempts,
      isUnknownRoute: response.status == 404 && Self.isRouteNotFound(body: response.body),
      token: token)
  }

  public static func == (lhs: GitLabAPIError, rhs: GitLabAPIError) -> Bool {
    lhs.status == rhs.status && lhs.gitLabMessage == rhs.gitLabMessage && lhs.method == rhs.method
      && lhs.path == rhs.path && lhs.attempts == rhs.attempts
      && lhs.isUnknownRoute == rhs.isUnknownRoute
      && lhs.token?.kind == rhs.token?.kind && lhs.token?.source == rhs.token?.source
  }

  /// True for GitLab's "project not found" (as opposed to a missing release or link).
  public var isProjectNotFound: Bool {
    status == 404 && gitLabMessage.lowercased().contains("project not found")
  }

  /// True when a job token was refused because the project is not on the allowlist.
  public var isJobTokenAllowlistRefusal: Bool {
    status == 403 && gitLabMessage.lowercased().contains("job token")
  }

  public var exitStatus: ExitStatus {
    if isUnknownRoute { return .usage }
    switch status {
    case 401, 403: return .noPermission
    case 429, 500...599: return .unavailable
    default: return .failures
    }
  }

  public var writeFailureKind: WriteFailureKind {
    switch status {
    case 401, 403: return .authentication
    case 404: return .notFound
    case 429: return .unavailable
    case 500...599: return method.isWrite ? .ambiguous : .unavailable
    case 400, 422:
      return gitLabMessage.lowercased().contains("has already been taken")
        ? .alreadyTaken : .rejected
    default: return .rejected
    }
  }

  public var message: String {
    var sentence = "GitLab answered \(status) to \(method.rawValue) \(path): \(gitLabMessage)"
    if !(sentence.hasSuffix(".") || sentence.hasSuffix("!") || sentence.hasSuffix("?")) {
      sentence += "."
    }
    if let hint { sentence += " " + hint }
    return sentence
  }

  /// What the user can do about it.
  public var hint: String? {
    switch status {
    case 401:
      guard let token else {
        return
          "The token was refused: check GITLAB_TOKEN or --token-file, or, with CI_JOB_TOKEN, that "
          + "the job is still running."
      }
      var text = "The \(token.kind.displayName) from \(token.source) was refused"
      switch token.kind {
      case .jobToken:
        text += ": a job token is valid only while its job runs, so use it from the running job."
      case .privateToken:
        text += ": check that it is right, not expired or revoked, and has the api scope."
      case .oauth:
        text += ": OAuth access tokens expire after two hours; get a new one."
      }
      return text
    case 403 where isJobTokenAllowlistRefusal:
      return
        "The job token of another project may only reach this one when that project is on this "
        + "project's job token allowlist: add it under Settings > CI/CD > \"Job token permissions\" "
        + "(the \"CI/CD job token\" settings), or use a GITLAB_TOKEN with access to the project."
    case 403:
      return
        "The token lacks permission: writing release links needs at least the Developer role and "
        + "the api scope, and for a protected tag the right to create that tag (Settings > "
        + "Repository > Protected tags)."
    case 404 where isUnknownRoute:
      return
        "GitLab has no such API route, so the API URL is not GitLab's API root: it ends in /api/v4, "
        + "as in https://gitlab.example.com/api/v4. Check --api-url (or CI_API_V4_URL, "
        + "CI_SERVER_URL)."
    case 404 where isProjectNotFound:
      return
        "Check --project (or CI_PROJECT_ID/CI_PROJECT_PATH) and that the token can see the project."
    case 404:
      return notFoundHint
    case 429, 500...599:
      var text = attempts > 1 ? "GitLab kept failing after \(attempts) attempts." : ""
      if method.isWrite && status != 429 {
        text +=
          (text.isEmpty ? "" : " ")
          + "The \(method.rawValue) may have been carried out: list the links before sending it again."
      }
      return text.isEmpty ? nil : text
    default:
      return nil
    }
  }

  /// What a 404 says is missing, read from the path that was asked for.
  private var notFoundHint: String {
    let segments = path.split(separator: "?").first?.split(separator: "/") ?? []
    if let jobs = segments.lastIndex(of: "jobs"), segments.last == "artifacts",
      jobs + 2 == segments.count - 1
    {
      let job = segments[jobs + 1]
      return
        "Job \(job) has no artifacts archive, or the project has no such job: check the job id "
        + "(--artifacts-job), that the job finished and kept artifacts (artifacts:paths), and that "
        + "they have not expired (expire_in)."
    }
    if let links = segments.lastIndex(of: "links"), links > 0, segments[links - 1] == "assets",
      links + 1 < segments.count
    {
      let link = segments[links + 1]
      return
        "The release of that tag has no link \(link) (or the release does not exist): check the "
        + "link id, which `release-linker links list` shows, and --tag (or CI_COMMIT_TAG)."
    }
    if segments.contains("releases") {
      return
        "The release of that tag does not exist: check --tag (or CI_COMMIT_TAG). "
        + "`release-linker publish --create-release` creates a missing release."
    }
    return "Check the project, the tag and the ids given."
  }

  // MARK: Decoding GitLab's words

  /// True for the body Grape sends for a route it does not know: `{"error":"404 Not Found"}`.
  static func isRouteNotFound(body: [UInt8]) -> Bool {
    guard let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)) else {
      return false
    }
    return decoded.message == nil && decoded.error?.lowercased() == "404 not found"
  }

  private struct ErrorBody: Decodable {
    var error: String?
    var errorDescription: String?
    var message: MessageValue?

    enum CodingKeys: String, CodingKey {
      case error, message
      case errorDescription = "error_description"
    }
  }

  private enum MessageValue: Decodable {
    case text(String)
    case list([String])
    case fields([String: [String]])

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let text = try? container.decode(String.self) {
        self = .text(text)
      } else if let list = try? container.decode([String].self) {
        self = .list(list)
      } else {
        self = .fields(try container.decode([String: [String]].self))
      }
    }

    var sentence: String {
      switch self {
      case .text(let text): text
      case .list(let list): list.joined(separator: ", ")
      case .fields(let fields):
        fields.keys.sorted().flatMap { key in fields[key, default: []].map { "\(key) \($0)" } }
          .joined(separator: ", ")
      }
    }
  }

  /// GitLab's message from an error body: `{"message": "…" | ["…"] | {"field": ["…"]}}`,
  /// `{"error": "…", "error_description": "…"}`, or plain text/HTML (tags removed, trimmed, short).
  public static func decodeMessage(body: [UInt8], status: Int) -> String {
    if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)) {
      var parts: [String] = []
      if let message = decoded.message?.sentence, !message.isEmpty { parts.append(message) }
      if let error = decoded.error, !error.isEmpty { parts.append(error) }
      if let description = decoded.errorDescription, !description.isEmpty {
        parts.append(description)
      }
      if !parts.isEmpty { return parts.joined(separator: ": ") }
    }
    let text = plainText(String(decoding: body, as: UTF8.self))
    if text.isEmpty { return "HTTP \(status) with no explanation" }
    return text
  }

  /// Tags dropped, whitespace collapsed, at most 200 characters.
  static func plainText(_ raw: String) -> String {
    var text = ""
    var inTag = false
    var skipping = false  // inside <style> or <script>
    var tagName = ""
    for character in raw {
      if inTag {
        if character == ">" {
          inTag = false
          let name = tagName.lowercased()
          if name.hasPrefix("style") || name.hasPrefix("script") { skipping = true }
          if name.hasPrefix("/style") || name.hasPrefix("/script") { skipping = false }
          text += " "
        } else {
          tagName.append(character)
        }
      } else if character == "<" {
        inTag = true
        tagName = ""
      } else if !skipping {
        text.append(character)
      }
    }
    let words = text.split(whereSeparator: { $0.isWhitespace })
    var result = words.joined(separator: " ")
    if result.count > 200 { result = String(result.prefix(200)) + "…" }
    return result
  }
}
