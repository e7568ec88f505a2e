/// One byte range of a `Range: bytes=…` header (RFC 9110 §14.1.2), as Go's `http.ServeContent`
/// answers it for the files Workhorse sends: 206 with `Content-Range`, 416 when the range starts
/// past the end. A header it cannot read, or one asking for several ranges, is answered with the
/// whole body (the emulator does not write `multipart/byteranges`).
enum ByteRange {
  static func apply(_ header: String?, to response: EmulatorResponse) -> EmulatorResponse {
    var response = response
    response.headers.append(("Accept-Ranges", "bytes"))
    let length = response.body.length
    guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return response }
    let spec = header.dropFirst("bytes=".count).split(
      separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    guard spec.count == 2 else { return response }
    let first: Int
    let last: Int
    switch (Int(spec[0]), Int(spec[1])) {
    case (let start?, let end?) where start <= end: (first, last) = (start, min(end, length - 1))
    case (let start?, nil) where spec[1].isEmpty: (first, last) = (start, length - 1)
    case (nil, let suffix?) where spec[0].isEmpty && suffix > 0:
      (first, last) = (max(0, length - suffix), length - 1)
    default: return response
    }
    guard first < length else {
      return EmulatorResponse(
        status: 416,
        headers: [("Content-Range", "bytes */\(length)"), ("Content-Type", "text/plain")],
        body: .bytes(Array("invalid range: failed to overlap\n".utf8)))
    }
    switch response.body {
    case .bytes(let bytes): response.body = .bytes(Array(bytes[first...last]))
    case .file(let path, let offset, _):
      response.body = .file(path: path, offset: offset + first, length: last - first + 1)
    case .deflated: return response
    }
    response.status = 206
    response.headers.append(("Content-Range", "bytes \(first)-\(last)/\(length)"))
    return response
  }
}
