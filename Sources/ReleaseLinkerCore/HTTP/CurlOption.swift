internal import CCurl

/// A libcurl option together with its name, so a refusal can say which option it was.
struct CurlOption {
  let code: CURLoption
  let name: String

  init(_ code: CURLoption, _ name: String) {
    self.code = code
    self.name = name
  }

  static let errorBuffer = CurlOption(CURLOPT_ERRORBUFFER, "CURLOPT_ERRORBUFFER")
  static let url = CurlOption(CURLOPT_URL, "CURLOPT_URL")
  static let protocols = CurlOption(CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR")
  static let noSignal = CurlOption(CURLOPT_NOSIGNAL, "CURLOPT_NOSIGNAL")
  static let followLocation = CurlOption(CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION")
  static let verifyPeer = CurlOption(CURLOPT_SSL_VERIFYPEER, "CURLOPT_SSL_VERIFYPEER")
  static let verifyHost = CurlOption(CURLOPT_SSL_VERIFYHOST, "CURLOPT_SSL_VERIFYHOST")
  static let userAgent = CurlOption(CURLOPT_USERAGENT, "CURLOPT_USERAGENT")
  static let connectTimeout = CurlOption(CURLOPT_CONNECTTIMEOUT_MS, "CURLOPT_CONNECTTIMEOUT_MS")
  static let timeout = CurlOption(CURLOPT_TIMEOUT_MS, "CURLOPT_TIMEOUT_MS")
  static let lowSpeedLimit = CurlOption(CURLOPT_LOW_SPEED_LIMIT, "CURLOPT_LOW_SPEED_LIMIT")
  static let lowSpeedTime = CurlOption(CURLOPT_LOW_SPEED_TIME, "CURLOPT_LOW_SPEED_TIME")
  static let caInfoBlob = CurlOption(CURLOPT_CAINFO_BLOB, "CURLOPT_CAINFO_BLOB")
  static let httpHeader = CurlOption(CURLOPT_HTTPHEADER, "CURLOPT_HTTPHEADER")
  static let httpGet = CurlOption(CURLOPT_HTTPGET, "CURLOPT_HTTPGET")
  static let noBody = CurlOption(CURLOPT_NOBODY, "CURLOPT_NOBODY")
  static let post = CurlOption(CURLOPT_POST, "CURLOPT_POST")
  static let postFieldSize = CurlOption(
    CURLOPT_POSTFIELDSIZE_LARGE, "CURLOPT_POSTFIELDSIZE_LARGE")
  static let postFields = CurlOption(CURLOPT_POSTFIELDS, "CURLOPT_POSTFIELDS")
  static let customRequest = CurlOption(CURLOPT_CUSTOMREQUEST, "CURLOPT_CUSTOMREQUEST")
  static let upload = CurlOption(CURLOPT_UPLOAD, "CURLOPT_UPLOAD")
  static let inFileSize = CurlOption(CURLOPT_INFILESIZE_LARGE, "CURLOPT_INFILESIZE_LARGE")
  static let uploadBufferSize = CurlOption(
    CURLOPT_UPLOAD_BUFFERSIZE, "CURLOPT_UPLOAD_BUFFERSIZE")
  static let readFunction = CurlOption(CURLOPT_READFUNCTION, "CURLOPT_READFUNCTION")
  static let readData = CurlOption(CURLOPT_READDATA, "CURLOPT_READDATA")
  static let seekFunction = CurlOption(CURLOPT_SEEKFUNCTION, "CURLOPT_SEEKFUNCTION")
  static let seekData = CurlOption(CURLOPT_SEEKDATA, "CURLOPT_SEEKDATA")
  static let headerFunction = CurlOption(CURLOPT_HEADERFUNCTION, "CURLOPT_HEADERFUNCTION")
  static let headerData = CurlOption(CURLOPT_HEADERDATA, "CURLOPT_HEADERDATA")
  static let writeFunction = CurlOption(CURLOPT_WRITEFUNCTION, "CURLOPT_WRITEFUNCTION")
  static let writeData = CurlOption(CURLOPT_WRITEDATA, "CURLOPT_WRITEDATA")
}
