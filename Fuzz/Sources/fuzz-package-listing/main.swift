import FoundationEssentials
import FuzzSupport
import ReleaseLinkerCore

/// Whatever a server sends as a page of the generic package registry's listings (`GET
/// /projects/:id/packages`, `GET …/packages/:package_id/package_files`): any JSON body with any
/// `X-Next-Page` and `Link` headers. Decoding never crashes; an empty page is the last; a page
/// number becomes exactly one `page` parameter of the same listing; a file's digest is lowercase.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPackageListing(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let pieces = FuzzInput(data, size).pieces(2)
  let headers = FuzzInput.text(pieces[0]).split(separator: "\n").map { line -> HTTPHeader in
    let parts = line.split(separator: ":", maxSplits: 1)
    return HTTPHeader(
      String(parts.first ?? ""), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
  }
  let response = HTTPResponse(
    status: 200, headers: headers, body: pieces[1], url: "http://127.0.0.1/api/v4")
  let path = "/projects/20/packages/7/package_files"
  let query = [("per_page", "100"), ("page", "3")]

  if let page: ListingPage<PackageFile> = try? client.listingPage(
    response, path: path, query: query)
  {
    check(page, path: path, headers: headers)
    for file in page.elements {
      if let digest = file.sha256 { invariant(digest == digest.lowercased(), "digest \(digest)") }
    }
  }
  if let page: ListingPage<GenericPackage> = try? client.listingPage(
    response, path: "/projects/20/packages", query: [("package_type", "generic")])
  {
    check(page, path: "/projects/20/packages", headers: headers)
  }
  return 0
}

private let client = GenericPackagesClient(
  connection: GitLabConnection(
    apiURL: "http://127.0.0.1/api/v4", token: Token("t", kind: .jobToken, source: .defaultValue),
    transport: HTTPTransport(settings: TransportSettings())),
  project: ProjectIdentifier("20"))

private func check<Element>(_ page: ListingPage<Element>, path: String, headers: [HTTPHeader]) {
  guard let next = page.next else { return }
  invariant(!page.elements.isEmpty, "a next page after an empty page")
  switch NextPage(headers: headers) {
  case .number?:
    // The same listing, asked for one positive page.
    let listing = "http://127.0.0.1/api/v4" + path + "?"
    invariant(next.hasPrefix(listing), "page number to another listing: \(next)")
    let pages = next.dropFirst(listing.count).split(separator: "&").filter {
      $0.hasPrefix("page=")
    }
    invariant(pages.count == 1, "\(pages.count) page parameters in \(next)")
    invariant(Int(pages[0].dropFirst(5)).map { $0 > 0 } ?? false, "page parameter in \(next)")
  case .url(let target)?:
    invariant(next == target, "the Link target \(target) became \(next)")
  case nil:
    invariant(false, "a next page without a pagination header: \(next)")
  }
}

runFuzzer { data, size in data.map { fuzzPackageListing($0, size) } ?? 0 }
