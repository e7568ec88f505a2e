internal import CCurl

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The reader of the current attempt and what it has handed over; an error raised while reading is
/// kept here, the transfer aborted, and the error rethrown after `curl_easy_perform`.
final class UploadState {
  static let bufferSize = 512 * 1024
  let body: UploadBody
  var reader: any UploadReader
  var sent: Int64 = 0
  var error: (any Error)?

  init(body: UploadBody, reader: any UploadReader) {
    self.body = body
    self.reader = reader
  }

  func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
    let remaining = body.length - sent
    do {
      guard remaining > 0 else {
        // The announced length is sent; a source with more to give has changed since its scan.
        var probe: UInt8 = 0
        let more = try withUnsafeMutableBytes(of: &probe) { try reader.read(into: $0) }
        if more > 0 { throw UploadSourceChangedError(announced: body.length, actual: sent + 1) }
        return 0
      }
      let window = UnsafeMutableRawBufferPointer(
        rebasing: buffer[0..<Int(min(Int64(buffer.count), remaining))])
      let count = try reader.read(into: window)
      if count == 0 { throw UploadSourceChangedError(announced: body.length, actual: sent) }
      sent += Int64(count)
      body.progress?(sent)
      return count
    } catch {
      self.error = error
      return Int(CURL_READFUNC_ABORT)
    }
  }

  /// libcurl rewinds only to the start; the source is opened afresh for it, but only while no byte
  /// of the body has gone out. Past that, a rewind is libcurl about to send the whole upload again on
  /// a fresh connection because the kept-alive one died without an answer — which is also what an
  /// upload that landed and lost its answer looks like. Refused, the transfer fails instead, and the
  /// caller looks at what the server holds before sending anything again.
  func rewind(to offset: Int64, origin: Int32) -> Int32 {
    guard offset == 0, origin == SEEK_SET, sent == 0 else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
    do {
      reader = try body.open()
      sent = 0
      body.progress?(0)
      return Int32(CURL_SEEKFUNC_OK)
    } catch {
      self.error = error
      return Int32(CURL_SEEKFUNC_FAIL)
    }
  }
}

let curlReadCallback: rl_curl_data_callback = { data, size, count, userdata in
  guard let userdata, let data else { return Int(CURL_READFUNC_ABORT) }
  let state = Unmanaged<UploadState>.fromOpaque(userdata).takeUnretainedValue()
  return state.fill(UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

let curlSeekCallback: rl_curl_seek_callback = { userdata, offset, origin in
  guard let userdata else { return Int32(CURL_SEEKFUNC_FAIL) }
  let state = Unmanaged<UploadState>.fromOpaque(userdata).takeUnretainedValue()
  return state.rewind(to: Int64(offset), origin: origin)
}
