/// The HTTP methods the GitLab API calls use.
public enum HTTPMethod: String, Sendable {
  case get = "GET"
  case post = "POST"
  case put = "PUT"
  case delete = "DELETE"
  case head = "HEAD"

  /// True for methods whose repetition could change the server's state a second time.
  public var isWrite: Bool { self != .get && self != .head }
}

/// One header line; names compare case-insensitively.
public struct HTTPHeader: Sendable, Equatable {
  public var name: String
  public var value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// A request as the transport sends it.
public struct HTTPRequest: Sendable {
  public var method: HTTPMethod
  public var url: String
  public var headers: [HTTPHeader]
  public var body: [UInt8]?
  /// A body streamed from its source while it is sent (a file, an archive entry), in place of
  /// `body`: never held in memory whole.
  public var upload: UploadBody?
  /// Stop receiving the response body after this many bytes; the response keeps what arrived. For
  /// checking that a download starts without downloading it.
  public var responseBodyLimit: Int?

  public init(
    method: HTTPMethod, url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil,
    upload: UploadBody? = nil, responseBodyLimit: Int? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.upload = upload
    self.responseBodyLimit = responseBodyLimit
  }
}

/// A response: status, headers in arrival order, and the body (empty when it was streamed to a file).
public struct HTTPResponse: Sendable {
  public var status: Int
  public var headers: [HTTPHeader]
  public var body: [UInt8]
  /// The URL that answered (after any redirects).
  public var url: String
  /// How many times the request was sent before this answer.
  public var attempts: Int

  public init(status: Int, headers: [HTTPHeader], body: [UInt8], url: String, attempts: Int = 1) {
    self.status = status
    self.headers = headers
    self.body = body
    self.url = url
    self.attempts = attempts
  }

  /// The last value of the header `name`, compared case-insensitively.
  public func header(_ name: String) -> String? {
    let wanted = name.lowercased()
    return headers.last { $0.name.lowercased() == wanted }?.value
  }

  /// The body as text (invalid UTF-8 replaced).
  public var text: String { String(decoding: body, as: UTF8.self) }

  /// True for 2xx.
  public var isSuccess: Bool { (200..<300).contains(status) }
}
