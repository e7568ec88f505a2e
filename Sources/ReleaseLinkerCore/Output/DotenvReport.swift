/// A GitLab `artifacts:reports:dotenv` file: later jobs of the pipeline see these as variables.
public enum DotenvReport {
  /// `RELEASE_LINKER_TAG`, the counts per action and the number failed, one `KEY=value` a line.
  ///
  /// GitLab's parser keeps quotes as part of the value and historically took fewer than 10
  /// variables, no comments and no empty lines, so the file stays plain: seven variables, unquoted
  /// (a git tag cannot contain spaces).
  public static func render(tag: String?, counts: ActionCounts) -> String {
    var lines: [String] = []
    lines.append("RELEASE_LINKER_TAG=\(tag ?? "")")
    lines.append("RELEASE_LINKER_CREATED=\(counts.create)")
    lines.append("RELEASE_LINKER_UPDATED=\(counts.update)")
    lines.append("RELEASE_LINKER_UNCHANGED=\(counts.unchanged)")
    lines.append("RELEASE_LINKER_DELETED=\(counts.delete)")
    lines.append("RELEASE_LINKER_FAILED=\(counts.failed)")
    lines.append("RELEASE_LINKER_LINKS=\(counts.create + counts.update + counts.unchanged)")
    return lines.joined(separator: "\n") + "\n"
  }
}
