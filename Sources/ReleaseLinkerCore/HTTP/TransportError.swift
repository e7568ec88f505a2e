internal import CCurl

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A request that got no HTTP answer: the network, DNS, TLS or the connection failed (exit 69).
public struct TransportError: ReleaseLinkerError, WriteFailureClassifying, Equatable {
  /// What went wrong, in the terms a user can act on.
  public enum Kind: Sendable, Equatable {
    case connectionRefused
    case hostNotFound
    case proxyNotFound
    case unreachable
    case timedOut
    case tlsHandshakeFailed
    /// The server answered a TLS handshake with something that is not TLS (plain HTTP).
    case notTLS
    /// The server ended the handshake with a TLS alert (an unknown CA, a protocol it refuses).
    case tlsRefused
    case certificateUntrusted
    /// The certificate is trusted but issued for another host name.
    case certificateNameMismatch
    case caBundleUnreadable
    case connectionReset
    case emptyReply
    case malformedResponse
    case tooManyRedirects
    /// A redirect to something other than an http(s) URL (`file://`, `gopher://`…).
    case redirectNotHTTP
    /// A redirect to another origin whose URL holds the token: following it would hand the token
    /// to that server.
    case redirectCarriesSecret
    case invalidURL
    /// libcurl refused one of the request's options (a value out of its range, such as a URL
    /// longer than 8 MB): the request was never sent.
    case optionRefused
    case localWriteFailed
    case other
  }

  public var kind: Kind
  public var method: HTTPMethod
  /// The server as `host:port`.
  public var server: String
  /// libcurl's own description, for the curious (never holds a secret: URLs carry none).
  public var detail: String
  /// True when the request may have reached the server, so a write may have been carried out.
  public var requestMayHaveReachedServer: Bool
  /// How many times the request was sent.
  public var attempts: Int
  /// Seconds allowed per request, for the timeout sentence.
  public var timeoutSeconds: Double

  public init(
    kind: Kind, method: HTTPMethod, server: String, detail: String = "",
    requestMayHaveReachedServer: Bool, attempts: Int = 1, timeoutSeconds: Double = 30
  ) {
    self.kind = kind
    self.method = method
    self.server = server
    self.detail = detail
    self.requestMayHaveReachedServer = requestMayHaveReachedServer
    self.attempts = attempts
    self.timeoutSeconds = timeoutSeconds
  }

  /// A write whose outcome is unknown: it may have been carried out although no answer came.
  public var isAmbiguousWrite: Bool { method.isWrite && requestMayHaveReachedServer }

  /// Whether sending the request again can help. Certificate and URL problems stay as they are; a
  /// write that may have reached the server must be checked, not resent.
  public var isRetryable: Bool {
    switch kind {
    // A TLS failure that names the certificate, an alert or plain HTTP on the other end stays the
    // same however often it is tried.
    case .certificateUntrusted, .certificateNameMismatch, .notTLS, .tlsRefused,
      .caBundleUnreadable, .invalidURL, .localWriteFailed, .tooManyRedirects, .redirectNotHTTP,
      .redirectCarriesSecret, .optionRefused:
      return false
    default:
      return !isAmbiguousWrite
    }
  }

  public var exitStatus: ExitStatus {
    kind == .invalidURL || kind == .optionRefused ? .usage : .unavailable
  }

  public var writeFailureKind: WriteFailureKind { isAmbiguousWrite ? .ambiguous : .unavailable }

  public var message: String {
    var sentence: String
    switch kind {
    case .connectionRefused:
      sentence =
        "Could not connect to \(server): the connection was refused. Check the API URL "
        + "(--api-url, CI_API_V4_URL) and that GitLab is up."
    case .hostNotFound:
      sentence =
        "Cannot resolve the host name of \(server). Check the API URL (--api-url, CI_API_V4_URL) "
        + "and the runner's DNS."
    case .proxyNotFound:
      sentence =
        "Cannot resolve the proxy's host name while connecting to \(server). Check HTTPS_PROXY, "
        + "HTTP_PROXY and NO_PROXY."
    case .unreachable:
      sentence = "\(server) is unreachable from here (no route to the host). Check the network."
    case .timedOut:
      sentence =
        "The \(method.rawValue) request to \(server) timed out after \(Self.seconds(timeoutSeconds)) "
        + "seconds; raise --timeout if GitLab is slow."
    case .tlsHandshakeFailed:
      sentence = "The TLS handshake with \(server) failed."
    case .notTLS:
      sentence =
        "\(server) does not speak TLS: the API URL says https://, but the server answers with "
        + "something else (plain HTTP, or another service on that port). Check the scheme and "
        + "port of the API URL (--api-url, CI_API_V4_URL)."
    case .tlsRefused:
      sentence =
        "\(server) refused the TLS handshake with an alert; trying again cannot change that. "
        + "Check that the API URL names GitLab itself, not a proxy that wants a client "
        + "certificate or other TLS settings."
    case .certificateNameMismatch:
      sentence =
        "The TLS certificate of \(server) is issued for another host name. Use the host name the "
        + "certificate names in the API URL (--api-url, CI_API_V4_URL); verification is never "
        + "turned off."
    case .certificateUntrusted:
      sentence =
        "The TLS certificate of \(server) is not trusted. If GitLab uses a private CA, pass "
        + "--ca-file or set CI_SERVER_TLS_CA_FILE or ADDITIONAL_CA_CERT_BUNDLE; verification "
        + "is never turned off."
    case .caBundleUnreadable:
      sentence = "The CA certificates given for \(server) cannot be read as PEM."
    case .connectionReset:
      sentence = "The connection to \(server) was reset before GitLab answered."
    case .emptyReply:
      sentence = "\(server) closed the connection without answering."
    case .malformedResponse:
      sentence =
        "\(server) sent a response to \(method.rawValue) that is not valid HTTP/1.1 or HTTP/2: "
        + "the server, or a proxy in front of it, misbehaves."
    case .tooManyRedirects:
      sentence = "\(server) redirected too many times."
    case .redirectNotHTTP:
      sentence =
        "\(server) answered \(method.rawValue) with a redirect to a URL that is not http(s); "
        + "GitLab never does that, so the server (or a proxy in front of it) misbehaves. It was "
        + "not followed."
    case .redirectCarriesSecret:
      sentence =
        "\(server) answered \(method.rawValue) with a redirect to another server whose URL holds "
        + "the token; GitLab never does that, and following it would hand the token to that "
        + "server, so it was not followed."
    case .invalidURL:
      sentence = "The URL for \(server) is not valid. Check --api-url (or CI_API_V4_URL)."
    case .optionRefused:
      sentence =
        "The \(method.rawValue) request to \(server) could not be prepared, so it was not sent."
    case .localWriteFailed:
      sentence = "Writing the response from \(server) to disk failed."
    case .other:
      sentence = "The \(method.rawValue) request to \(server) failed."
    }
    if !detail.isEmpty { sentence += " (\(detail))" }
    if attempts > 1 { sentence += " Gave up after \(attempts) attempts." }
    if isAmbiguousWrite {
      sentence +=
        " The \(method.rawValue) may have been carried out by GitLab: list the links before "
        + "sending it again."
    }
    return sentence
  }

  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}

extension TransportError {
  /// The one mapping from libcurl's result (and the socket's errno) to a typed error.
  ///
  /// `requestBytesSent` is what libcurl reports as sent (`CURLINFO_REQUEST_SIZE`): when it is zero the
  /// server cannot have seen the request, so even a write may be sent again.
  init(
    curlCode: Int, osErrno: Int32, method: HTTPMethod, server: String, detail: String,
    requestBytesSent: Int, timeoutSeconds: Double
  ) {
    let code = CURLcode(rawValue: UInt32(curlCode))
    let sent = requestBytesSent > 0
    let kind: Kind
    var reached = sent
    switch code {
    case CURLE_COULDNT_RESOLVE_HOST:
      kind = .hostNotFound
      reached = false
    case CURLE_COULDNT_RESOLVE_PROXY:
      kind = .proxyNotFound
      reached = false
    case CURLE_COULDNT_CONNECT:
      switch osErrno {
      case ENETUNREACH, EHOSTUNREACH: kind = .unreachable
      case ETIMEDOUT: kind = .timedOut
      default: kind = .connectionRefused
      }
      reached = false
    case CURLE_OPERATION_TIMEDOUT:
      kind = .timedOut
    case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER, CURLE_SSL_CERTPROBLEM,
      CURLE_SSL_ENGINE_NOTFOUND:
      kind = Self.handshakeKind(detail)
      reached = false
    case CURLE_PEER_FAILED_VERIFICATION:
      kind = Self.certificateKind(detail)
      reached = false
    case CURLE_SSL_CACERT_BADFILE:
      kind = .caBundleUnreadable
      reached = false
    case CURLE_SEND_ERROR, CURLE_RECV_ERROR:
      kind = .connectionReset
    case CURLE_SEND_FAIL_REWIND:
      // The connection died after (part of) a streamed body went out; libcurl would have had to
      // send it again from the start.
      kind = .connectionReset
      reached = true
    case CURLE_GOT_NOTHING:
      kind = .emptyReply
      reached = true
    case CURLE_WEIRD_SERVER_REPLY, CURLE_PARTIAL_FILE, CURLE_BAD_CONTENT_ENCODING:
      kind = .malformedResponse
      reached = true
    case CURLE_TOO_MANY_REDIRECTS:
      kind = .tooManyRedirects
      reached = true
    case CURLE_UNSUPPORTED_PROTOCOL where sent:
      // The URL was fine (the request went out): what came back is not HTTP curl speaks, such as
      // an HTTP/0.9 answer without a status line.
      kind = .malformedResponse
      reached = true
    case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
      kind = .invalidURL
      reached = false
    case CURLE_WRITE_ERROR:
      kind = .localWriteFailed
      reached = true
    default:
      kind = .other
    }
    self.init(
      kind: kind, method: method, server: server, detail: detail,
      requestMayHaveReachedServer: reached, timeoutSeconds: timeoutSeconds)
  }

  /// OpenSSL's words tell a lasting refusal from a handshake cut short by the network.
  private static func handshakeKind(_ detail: String) -> Kind {
    let words = detail.lowercased()
    if words.contains("wrong version number") || words.contains("packet length too long")
      || words.contains("unknown protocol")
    {
      return .notTLS
    }
    if words.contains(" alert ") || words.contains("alert number") { return .tlsRefused }
    return .tlsHandshakeFailed
  }

  /// A certificate for another name, or one no trusted authority signed.
  private static func certificateKind(_ detail: String) -> Kind {
    let words = detail.lowercased()
    return words.contains("subject name") || words.contains("host name")
      || words.contains("hostname")
      ? .certificateNameMismatch : .certificateUntrusted
  }
}
