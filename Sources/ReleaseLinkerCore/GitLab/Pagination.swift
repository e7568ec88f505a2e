/// Where the next page of a GitLab list is, from the response headers.
public enum NextPage: Sendable, Equatable {
  /// `X-Next-Page`: the page number to ask for.
  case number(Int)
  /// `Link: <…>; rel="next"`: the URL to fetch.
  case url(String)

  /// `X-Next-Page` when present and not empty, else the `Link` header's `rel="next"`, else nil (the
  /// last page). `X-Total` is not relied on: GitLab omits it for large lists.
  public init?(headers: [HTTPHeader]) {
    func value(_ name: String) -> String? {
      headers.last { $0.name.lowercased() == name }?.value
    }
    if let next = value("x-next-page") {
      let trimmed = next.filter { !$0.isWhitespace }
      if let number = Int(trimmed), number > 0 {
        self = .number(number)
        return
      }
    }
    if let link = value("link"), let target = Self.nextTarget(inLinkHeader: link) {
      self = .url(target)
      return
    }
    return nil
  }

  /// The `page` parameter of a URL's query, when it is a positive number.
  static func pageNumber(inURL url: String) -> Int? {
    guard let question = url.firstIndex(of: "?") else { return nil }
    var query = url[url.index(after: question)...]
    if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1)
      if parts.count == 2, parts[0] == "page", let number = Int(parts[1]), number > 0 {
        return number
      }
    }
    return nil
  }

  /// The `rel="next"` target of an RFC 8288 `Link` header.
  static func nextTarget(inLinkHeader header: String) -> String? {
    for entry in header.split(separator: ",") {
      guard let open = entry.firstIndex(of: "<"), let close = entry.firstIndex(of: ">"),
        open < close
      else { continue }
      let target = String(entry[entry.index(after: open)..<close])
      let parameters = entry[entry.index(after: close)...].split(separator: ";")
      for parameter in parameters {
        let pair = parameter.split(separator: "=", maxSplits: 1)
        guard pair.count == 2, pair[0].filter({ !$0.isWhitespace }).lowercased() == "rel" else {
          continue
        }
        let relations = pair[1].filter { $0 != "\"" }.split(separator: " ")
        if relations.contains(where: { $0.lowercased() == "next" }) { return target }
      }
    }
    return nil
  }
}
