import Foundation
import Testing

/// `make dist` (scripts/dist.sh): the release tarball holds the binary, its man page, completions for
/// three shells, the license, the README and the changelog, and the same input gives the same bytes. Built here from
/// the test build's binary (RELEASE_LINKER_BINARY) rather than a release build, which takes minutes.
@Suite(.serialized) struct DistTests {
  static let binary = CLIRunner.productsDirectory.appendingPathComponent("release-linker").path
  static let epoch = "1767225600"  // 2026-01-01T00:00:00Z

  /// Runs `make dist` in a fresh checkout; returns the checkout and what make printed.
  static func makeDist(
    in folder: URL, epoch: String = epoch, extra: [String: String] = [:]
  ) throws -> (checkout: URL, result: CLIResult) {
    let checkout = folder.appendingPathComponent("checkout")
    try RepositoryCheckout.make(at: checkout)
    var environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "RELEASE_LINKER_BINARY": binary, "SOURCE_DATE_EPOCH": epoch,
    ]
    environment.merge(extra) { _, given in given }
    let result = try Shell.run(
      ["make", "--no-print-directory", "dist"], environment: environment, in: checkout)
    return (checkout, result)
  }

  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("dist-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  static var arch: String {
    (try? Shell.run(["uname", "-m"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
      ?? "x86_64"
  }

  @Test func twiceTheSameBytesHoldingTheBinaryItsDocsAndCompletions() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let name = "dist/release-linker-\(Self.arch)-linux.tar.gz"

    let first = try Self.makeDist(in: folder.appendingPathComponent("a"))
    try #require(first.result.status == 0, "make dist failed: \(first.result.stderr)")
    let second = try Self.makeDist(in: folder.appendingPathComponent("b"))
    try #require(second.result.status == 0, "make dist failed: \(second.result.stderr)")
    let one = try Data(contentsOf: first.checkout.appendingPathComponent(name))
    let two = try Data(contentsOf: second.checkout.appendingPathComponent(name))
    #expect(one == two, "two runs of make dist on the same binary made different tarballs")
    let sums = try String(
      contentsOf: first.checkout.appendingPathComponent("dist/SHA256SUMS"), encoding: .utf8)
    #expect(
      sums
        == (try String(
          contentsOf: second.checkout.appendingPathComponent("dist/SHA256SUMS"), encoding: .utf8)))

    let checkout = first.checkout
    let tarball = checkout.appendingPathComponent(name)
    let version = try CLIRunner.run(["--version"]).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let top = "release-linker-\(version)-\(Self.arch)-linux"

    // gzip -n: no file name (FLG bit 3) and a zero MTIME in the header (RFC 1952, section 2.3).
    let bytes = [UInt8](try Data(contentsOf: tarball).prefix(10))
    #expect(bytes[0] == 0x1f && bytes[1] == 0x8b, "not gzip")
    #expect(bytes[3] & 0x08 == 0, "the gzip header carries a file name")
    #expect(bytes[4...7].allSatisfy { $0 == 0 }, "the gzip header carries a time stamp")

    let listing = try Shell.run(
      ["tar", "--list", "--verbose", "--numeric-owner", "--full-time", "-z", "-f", tarball.path],
      environment: [
        "TZ": "UTC", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      ])
    try #require(listing.status == 0, "\(listing.stderr)")
    let entries = listing.stdout.split(separator: "\n").map {
      $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }
    let names = entries.map { $0[5...].joined(separator: " ") }
    #expect(
      names == [
        "\(top)/", "\(top)/CHANGELOG.md", "\(top)/LICENSE", "\(top)/README.md",
        "\(top)/completions/", "\(top)/completions/_release-linker",
        "\(top)/completions/release-linker.bash", "\(top)/completions/release-linker.fish",
        "\(top)/man/", "\(top)/man/release-linker.1", "\(top)/release-linker",
      ])
    #expect(names == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    for entry in entries {
      let name = entry[5...].joined(separator: " ")
      #expect(entry[1] == "0/0", "\(name) is owned by \(entry[1])")
      #expect(
        entry[3] == "2026-01-01" && entry[4] == "00:00:00",
        "\(name) has time \(entry[3]) \(entry[4])")
      let mode =
        name.hasSuffix("/")
        ? "drwxr-xr-x" : name.hasSuffix("/release-linker") ? "-rwxr-xr-x" : "-rw-r--r--"
      #expect(entry[0] == mode, "\(name) has mode \(entry[0])")
    }

    let unpacked = folder.appendingPathComponent("unpacked")
    try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
    let extract = try Shell.run(["tar", "-xzf", tarball.path, "-C", unpacked.path])
    try #require(extract.status == 0, "\(extract.stderr)")
    let root = unpacked.appendingPathComponent(top)

    let run = try Shell.run(
      [root.appendingPathComponent("release-linker").path, "--version"], environment: [:])
    #expect(run.stdout == version + "\n")
    let sections = try Shell.run([
      "readelf", "-S", root.appendingPathComponent("release-linker").path,
    ])
    #expect(!sections.stdout.contains(".symtab"), "the binary is not stripped")

    // Each completion script is the binary's own, and bash can load its.
    for (shell, file) in [
      ("bash", "release-linker.bash"), ("zsh", "_release-linker"), ("fish", "release-linker.fish"),
    ] {
      let expected = try CLIRunner.run(["--generate-completion-script", shell]).stdout
      let shipped = try String(
        contentsOf: root.appendingPathComponent("completions/\(file)"), encoding: .utf8)
      #expect(
        shipped == expected, "completions/\(file) is not --generate-completion-script \(shell)")
    }
    let loaded = try Shell.bash(
      "source \"$1\" && complete -p release-linker",
      [root.appendingPathComponent("completions/release-linker.bash").path])
    #expect(
      loaded.status == 0 && loaded.stdout.contains("release-linker"), "bash: \(loaded.stderr)")

    let manual = try String(
      contentsOf: root.appendingPathComponent("man/release-linker.1"), encoding: .utf8)
    #expect(manual.contains(".TH RELEASE\\-LINKER 1 \"\" \"release\\-linker \(version)\""))
    for file in ["LICENSE", "README.md", "CHANGELOG.md"] {
      #expect(
        try Data(contentsOf: root.appendingPathComponent(file))
          == Data(contentsOf: CIRepository.root.appendingPathComponent(file)), "\(file) differs")
    }
    let license = try String(contentsOf: root.appendingPathComponent("LICENSE"), encoding: .utf8)
    #expect(license.contains("Apache License") && license.contains("Version 2.0, January 2004"))

    // SHA256SUMS checks the tarball as `sha256sum -c` does after a download.
    let check = try Shell.run(
      ["sha256sum", "-c", "SHA256SUMS"], in: checkout.appendingPathComponent("dist"))
    #expect(
      check.status == 0 && check.stdout == "release-linker-\(Self.arch)-linux.tar.gz: OK\n",
      "\(check.stdout)\(check.stderr)")
  }

  @Test func aBuildForAnotherArchitectureIsRefusedBeforeBuilding() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let other = Self.arch == "aarch64" ? "x86_64" : "aarch64"
    let checkout = folder.appendingPathComponent("checkout")
    try RepositoryCheckout.make(at: checkout)
    let result = try Shell.run(
      ["make", "--no-print-directory", "dist"],
      environment: [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "DIST_ARCH": other, "SOURCE_DATE_EPOCH": Self.epoch,
      ], in: checkout)
    #expect(result.status != 0)
    #expect(
      result.stderr.contains("builds only \(Self.arch) binaries")
        && result.stderr.contains("on a \(other) machine"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: checkout.appendingPathComponent("dist").path))
  }

  @Test func withoutGitHistoryOrATimeStampItSaysWhatToSet() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkout = folder.appendingPathComponent("checkout")
    try RepositoryCheckout.make(at: checkout)
    let result = try Shell.run(
      ["make", "--no-print-directory", "dist"],
      environment: [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "RELEASE_LINKER_BINARY": Self.binary, "GIT_CEILING_DIRECTORIES": folder.path,
      ], in: checkout)
    #expect(result.status != 0)
    #expect(result.stderr.contains("set SOURCE_DATE_EPOCH"), "\(result.stderr)")
  }
}
