import FoundationEssentials

/// The certificates TLS connections trust: the system's bundle plus any extra CAs configured.
///
/// libcurl replaces its default CA file when one is given, so extra CAs are appended to the system
/// bundle and handed over together; verification itself is never turned off.
public enum TrustStore {
  /// Where Debian, Fedora/RHEL and Alpine/macOS keep the system bundle, in that order.
  public static let systemBundlePaths = [
    "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
  ]

  /// The system bundle followed by `extra`, as PEM bytes. Throws a ``UsageError`` naming the setting
  /// when the extra certificates cannot be read or hold no PEM certificate.
  public static func combinedBundle(
    extra: Setting<CABundle>, systemBundlePaths: [String] = TrustStore.systemBundlePaths
  ) throws -> [UInt8] {
    let extraPEM: String
    switch extra.value {
    case .pem(let text):
      extraPEM = text
    case .file(let path):
      do {
        extraPEM = try String(contentsOfFile: path, encoding: .utf8)
      } catch {
        throw UsageError(
          "Cannot read the CA certificates file '\(path)' (from \(extra.source)).")
      }
    }
    guard extraPEM.contains("-----BEGIN CERTIFICATE-----") else {
      throw UsageError(
        "The CA certificates from \(extra.source) contain no PEM certificate "
          + "(-----BEGIN CERTIFICATE-----).")
    }
    var bundle = ""
    for path in systemBundlePaths {
      if let system = try? String(contentsOfFile: path, encoding: .utf8) {
        bundle = system
        break
      }
    }
    if !bundle.isEmpty && !bundle.hasSuffix("\n") { bundle += "\n" }
    bundle += extraPEM
    if !bundle.hasSuffix("\n") { bundle += "\n" }
    return Array(bundle.utf8)
  }
}

/// Extra trusted certificates: a PEM file on disk, or PEM text from a variable.
public enum CABundle: Sendable, Equatable {
  case file(String)
  case pem(String)
}
