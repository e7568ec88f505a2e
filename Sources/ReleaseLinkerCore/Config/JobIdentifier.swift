/// The id of a GitLab CI job, as `--job-id`, `--artifacts-job` and `CI_JOB_ID` give it.
///
/// A link built from a wrong job id points at files that are not there, so an id that is empty or
/// not a number is refused (exit 64) rather than replaced by a default: the usual cause is a
/// variable such as `$BUILD_JOB_ID` that never reached the release job.
public enum JobIdentifier {
  /// `value` when it is a job id; else a ``UsageError`` naming `name` (the flag or the variable).
  public static func checked(_ value: String, named name: String) throws(UsageError) -> String {
    if value.isEmpty {
      throw UsageError(
        "\(name) is empty, but it must be the numeric id of the job whose artifacts the links "
          + "point at. An empty value usually means the variable it was given from (such as "
          + "$BUILD_JOB_ID) is not set in this job: check that the build job writes it to its "
          + "dotenv report (artifacts:reports:dotenv) and that this job lists the build job under "
          + "needs:.")
    }
    guard value.utf8.count <= 18, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
      var sentence = "\(name) must be the numeric id of a job, not '\(value)'."
      if value.hasPrefix("-") {
        sentence +=
          " If a variable was meant to come first, it is empty and unquoted, so the next flag took"
          + " its place: quote it, as in \(name) \"$BUILD_JOB_ID\"."
      }
      throw UsageError(sentence)
    }
    return value
  }
}
