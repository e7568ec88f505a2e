/// Whether one release link downloads.
public struct LinkCheck: Sendable, Equatable {
  public enum Result: Sendable, Equatable {
    /// The server began to send the file (2xx, or 416 for an empty file asked for one byte).
    case ok
    /// The last answer, after redirects, was this HTTP status.
    case status(Int)
    /// The chain of redirects ended at GitLab's sign-in page: only a signed-in browser gets the file.
    case signInRequired
    /// No HTTP answer came: the sentence says why.
    case unreachable(String)
  }

  public var link: ReleaseLink
  /// The URL fetched: the link's `direct_asset_url`, which the release page shows.
  public var checkedURL: String
  public var result: Result
  /// The status of the last answer, when there was one.
  public var httpStatus: Int?

  public init(link: ReleaseLink, checkedURL: String, result: Result, httpStatus: Int?) {
    self.link = link
    self.checkedURL = checkedURL
    self.result = result
    self.httpStatus = httpStatus
  }

  public var isOK: Bool { result == .ok }

  /// `ok`, `404`, `sign-in required`, `unreachable`.
  public var label: String {
    switch result {
    case .ok: "ok"
    case .status(let status): String(status)
    case .signInRequired: "sign-in required"
    case .unreachable: "unreachable"
    }
  }

  /// What is wrong, as a sentence; nil when the link downloads.
  public var problem: String? {
    switch result {
    case .ok: nil
    case .status(let status):
      "The link answers \(status)\(status == 404 ? ": the file it points at is gone" : "")."
    case .signInRequired:
      "The link leads to GitLab's sign-in page: only a signed-in user can download it."
    case .unreachable(let reason): reason
    }
  }
}

/// Fetches links the way a person following them would: `HEAD` first and, when that is not
/// answered with success (some servers and pre-signed storage URLs refuse `HEAD`), a `GET` of the
/// first byte only (`Range: bytes=0-0`, and the transfer stopped after one byte should the server
/// ignore the range). Redirects are followed by the transport, which sends the token only to the
/// API's own origin and never to another host.
public struct ReleaseLinkProbe: Sendable {
  public let connection: GitLabConnection

  public init(connection: GitLabConnection) {
    self.connection = connection
  }

  public func check(_ link: ReleaseLink) -> LinkCheck {
    let url = link.directAssetURL.isEmpty ? link.url : link.directAssetURL
    var last: HTTPResponse?
    do {
      let head = try fetch(HTTPRequest(method: .head, url: url))
      if let verdict = Self.verdict(head) {
        return LinkCheck(link: link, checkedURL: url, result: verdict, httpStatus: head.status)
      }
      last = head
      let get = try fetch(
        HTTPRequest(
          method: .get, url: url, headers: [HTTPHeader("Range", "bytes=0-0")],
          responseBodyLimit: 1))
      last = get
      if let verdict = Self.verdict(get) {
        return LinkCheck(link: link, checkedURL: url, result: verdict, httpStatus: get.status)
      }
      if get.status == 416 {
        // An empty file has no first byte to send; it exists all the same.
        return LinkCheck(link: link, checkedURL: url, result: .ok, httpStatus: get.status)
      }
      return LinkCheck(
        link: link, checkedURL: url, result: .status(get.status), httpStatus: get.status)
    } catch let error as any ReleaseLinkerError {
      return LinkCheck(
        link: link, checkedURL: url, result: .unreachable(error.message), httpStatus: last?.status)
    } catch {
      return LinkCheck(
        link: link, checkedURL: url, result: .unreachable("\(error)"), httpStatus: last?.status)
    }
  }

  private func fetch(_ request: HTTPRequest) throws -> HTTPResponse {
    try connection.transport.send(
      request, credentials: connection.credentials, credentialsOrigin: URLOrigin(connection.apiURL))
  }

  /// ok for a success that is not the sign-in page; nil when the next method should be tried.
  static func verdict(_ response: HTTPResponse) -> LinkCheck.Result? {
    if isSignInPage(response.url) { return .signInRequired }
    return response.isSuccess ? .ok : nil
  }

  /// GitLab sends a browser that is not signed in to `/users/sign_in`
  /// (`ApplicationController#authenticate_user!`, `new_user_session_path`).
  static func isSignInPage(_ url: String) -> Bool {
    var path = Substring(url)
    if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
    return path.hasSuffix("/users/sign_in")
  }
}
