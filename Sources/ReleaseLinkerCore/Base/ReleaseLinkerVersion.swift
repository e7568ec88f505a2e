/// The version `release-linker --version` prints.
public enum ReleaseLinkerVersion {
  public static let current = "0.1.0"
}
