/// GitLab's offset pagination: `page` (default 1) and `per_page` (default 20, capped at 100), with
/// the `X-*` and `Link` headers of `Gitlab::Pagination::OffsetHeaderBuilder`.
struct Pagination: Sendable {
  static let defaultPerPage = 20
  static let maximumPerPage = 100
  /// Above this many items GitLab stops counting: no `X-Total`, `X-Total-Pages` or `rel="last"`.
  static let countLimit = 10_000

  var page: Int
  var perPage: Int

  /// Grape's parameter errors for `page` and `per_page`, in declaration order.
  static func parameterErrors(_ parameters: RequestParameters) -> [String] {
    var errors: [String] = []
    if parameters.has("page"), integer("page", parameters) == nil, !isEmpty("page", parameters) {
      errors.append("page is invalid")
    }
    if parameters.has("per_page") {
      if let value = integer("per_page", parameters) {
        if value == 0 { errors.append("per_page has a value not allowed") }
      } else if !isEmpty("per_page", parameters) {
        errors.append("per_page is invalid")
      }
    }
    return errors
  }

  init(_ parameters: RequestParameters) {
    let requestedPage = Pagination.integer("page", parameters) ?? 1
    page = max(1, requestedPage)
    let requested = Pagination.integer("per_page", parameters) ?? Pagination.defaultPerPage
    perPage =
      requested < 0 ? Pagination.defaultPerPage : min(requested, Pagination.maximumPerPage)
  }

  private static func integer(_ key: String, _ parameters: RequestParameters) -> Int? {
    guard let text = parameters.string(key) else { return nil }
    let trimmed = LinkValidation.strip(text)
    return Int(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed)
  }

  private static func isEmpty(_ key: String, _ parameters: RequestParameters) -> Bool {
    parameters.string(key).map { LinkValidation.strip($0).isEmpty } ?? false
  }

  /// The items of the requested page, and the headers describing the pages.
  /// - Parameters:
  ///   - pageURL: the request's URL without its query, as the client reached it.
  ///   - queryParameters: the parameters echoed in `Link` URLs (besides `page` and `per_page`).
  func apply<Item>(to items: [Item], pageURL: String, queryParameters: [(String, String)]) -> (
    [Item], [(String, String)]
  ) {
    let total = items.count
    let start = min(total, (page - 1) * perPage)
    let end = min(total, start + perPage)
    let slice = Array(items[start..<end])
    let totalPages = max(1, (total + perPage - 1) / perPage)
    let counted = total <= Pagination.countLimit
    let nextPage: Int? = page < totalPages ? page + 1 : nil
    // Kaminari: no previous page past the end either.
    let previousPage: Int? = page > 1 && page <= totalPages ? page - 1 : nil

    func href(_ target: Int) -> String {
      var pairs = queryParameters.filter { $0.0 != "page" && $0.0 != "per_page" }
      pairs.append(("page", String(target)))
      pairs.append(("per_page", String(perPage)))
      let query = pairs.sorted { $0.0 < $1.0 }.map {
        "\(PercentDecoding.escapeQueryComponent($0.0))=\(PercentDecoding.escapeQueryComponent($0.1))"
      }
      return "<\(pageURL)?\(query.joined(separator: "&"))>"
    }

    var links: [String] = []
    if let previousPage { links.append("\(href(previousPage)); rel=\"prev\"") }
    if let nextPage { links.append("\(href(nextPage)); rel=\"next\"") }
    links.append("\(href(1)); rel=\"first\"")
    if counted { links.append("\(href(totalPages)); rel=\"last\"") }

    var headers: [(String, String)] = [
      ("X-Per-Page", String(perPage)),
      ("X-Page", String(page)),
      ("X-Next-Page", nextPage.map(String.init) ?? ""),
      ("X-Prev-Page", previousPage.map(String.init) ?? ""),
      ("Link", links.joined(separator: ", ")),
    ]
    if counted {
      headers.append(("X-Total", String(total)))
      headers.append(("X-Total-Pages", String(totalPages)))
    }
    return (slice, headers)
  }
}
