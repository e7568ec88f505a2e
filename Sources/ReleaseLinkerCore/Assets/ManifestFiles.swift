#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files `--manifest GLOB` names, found by release-linker itself: in the template, the
/// component and a quoted argument the shell does not expand the glob.
///
/// The glob follows `--include`'s rules (``GlobPattern``: `*` and `?` stay within a folder, `**`
/// crosses folders) applied to the path from the current folder. A glob that matches no file is a
/// data error (65), not an empty set of links: it means a build job's manifest did not reach the
/// release job (not kept in `artifacts:paths`, or the job not under `needs:`), and publishing the
/// rest, with `--prune`, would delete that job's links.
enum ManifestFiles {
  /// One file: the path to open and the name messages use (the path as the user would write it).
  struct File: Equatable {
    var path: String
    var name: String
  }

  /// The regular files `pattern` matches, in byte order of their paths.
  static func expand(_ pattern: String, currentDirectory: String) throws(DataError) -> [File] {
    let relative = !pattern.hasPrefix("/")
    let base = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
    func file(_ absolute: String) -> File {
      File(
        path: absolute,
        name: relative && absolute.hasPrefix(base)
          ? String(absolute.dropFirst(base.count)) : absolute)
    }
    let absolute = relative ? base + pattern : pattern
    guard pattern.contains(where: { "*?[".contains($0) }) else {
      var info = stat()
      guard stat(absolute, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
        throw DataError(
          "The manifest '\(pattern)' given with --manifest "
            + (stat(absolute, &info) == 0 ? "is not a regular file" : "does not exist")
            + ". \(reachHint)")
      }
      return [file(absolute)]
    }
    let globPattern: GlobPattern
    do {
      // The current folder is taken literally, whatever characters its name holds.
      globPattern = try GlobPattern(relative ? escaped(base) + pattern : pattern)
    } catch {
      throw DataError("Cannot use --manifest '\(pattern)': \(error.message)")
    }
    // Walk from the deepest folder the pattern names literally.
    let patternSegments = pattern.split(separator: "/").map(String.init)
    var literalTail: [String] = []
    for segment in patternSegments {
      guard let text = literalText(segment) else { break }
      literalTail.append(text)
    }
    let literal = (relative ? base.split(separator: "/").map(String.init) : []) + literalTail
    let start = "/" + literal.joined(separator: "/")
    let depth =
      patternSegments.contains { $0.contains("**") }
      ? Int.max : patternSegments.count - literalTail.count
    var matches: [String] = []
    collect(in: start, depthLeft: depth, pattern: globPattern, into: &matches)
    guard !matches.isEmpty else {
      throw DataError(
        "No file matches --manifest '\(pattern)' (from the folder '\(currentDirectory)'). "
          + "\(reachHint) Nothing was sent.")
    }
    return matches.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map(file)
  }

  /// The name a pattern segment matches when it holds no unescaped `*`, `?` or `[`; else nil.
  private static func literalText(_ segment: String) -> String? {
    var text = ""
    var escaping = false
    for character in segment {
      if escaping {
        text.append(character)
        escaping = false
      } else if character == "\\" {
        escaping = true
      } else if "*?[".contains(character) {
        return nil
      } else {
        text.append(character)
      }
    }
    return text
  }

  /// `text` as a pattern that matches only itself.
  private static func escaped(_ text: String) -> String {
    var result = ""
    for character in text {
      if "*?[]\\".contains(character) { result.append("\\") }
      result.append(character)
    }
    return result
  }

  private static let reachHint =
    "A build job's manifest reaches the release job when the build job keeps it in "
    + "`artifacts:paths` and the release job lists the build job under `needs:`."

  private static func collect(
    in directory: String, depthLeft: Int, pattern: GlobPattern, into matches: inout [String]
  ) {
    guard depthLeft > 0, let stream = opendir(directory) else { return }
    var names: [String] = []
    while let entry = readdir(stream) {
      let bytes = directoryEntryName(entry)
      guard let name = String(validating: bytes, as: UTF8.self), name != ".", name != ".." else {
        continue
      }
      names.append(name)
    }
    closedir(stream)
    for name in names {
      let child = (directory == "/" ? "" : directory) + "/" + name
      var info = stat()
      // A symbolic link to a manifest is followed; one to a folder is not walked.
      guard lstat(child, &info) == 0 else { continue }
      if info.st_mode & S_IFMT == S_IFDIR {
        collect(
          in: child, depthLeft: depthLeft == Int.max ? depthLeft : depthLeft - 1,
          pattern: pattern, into: &matches)
      } else if pattern.matches(child), stat(child, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
        matches.append(child)
      }
    }
  }
}
