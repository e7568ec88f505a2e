import FoundationEssentials
import FuzzSupport
import ReleaseLinkerCore

/// Whatever a server (or a proxy in between) sends: error bodies of any shape, pagination and
/// rate-limit headers, `Retry-After` in seconds or as a date, JSON lists of links. Decoding never
/// crashes, and a delay the server asks for is never negative or infinite.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzServerAnswers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let pieces = FuzzInput(data, size).pieces(4)
  let status = 100 + Int(pieces[0].first ?? 0) % 500
  let headers = FuzzInput.text(pieces[1]).split(separator: "\n").map { line -> HTTPHeader in
    let parts = line.split(separator: ":", maxSplits: 1)
    return HTTPHeader(
      String(parts.first ?? ""), parts.count > 1 ? String(parts[1]).trimmingSpaces : "")
  }
  let body = pieces[2]

  let message = GitLabAPIError.decodeMessage(body: body, status: status)
  invariant(message.utf8.count <= body.count * 4 + 256, "a message longer than its body")
  _ = NextPage(headers: headers)
  if let delay = RetryPolicy.serverRequestedDelay(headers: headers, now: 1_700_000_000) {
    invariant(delay.isFinite && delay >= 0, "a server-requested delay of \(delay)")
  }
  for header in headers { _ = HTTPDate.secondsSince1970(header.value) }
  _ = HTTPDate.secondsSince1970(FuzzInput.text(pieces[3]))
  _ = try? JSONDecoder().decode([ReleaseLink].self, from: Data(body))
  let response = HTTPResponse(
    status: status, headers: headers, body: body, url: "https://gitlab.example.com/api/v4")
  _ = GitLabAPIError(
    response: response, method: .post, path: "/projects/1/releases/v1/assets/links")
  return 0
}

extension String {
  fileprivate var trimmingSpaces: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}

runFuzzer { data, size in data.map { fuzzServerAnswers($0, size) } ?? 0 }
