// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets for release-linker's untrusted inputs, built by `make fuzz` (scripts/fuzz.sh):
// every module with AddressSanitizer and coverage counters (`--sanitize address -Xswiftc
// -sanitize-coverage=edge,trace-cmp`), each target's own module with `-sanitize=fuzzer`, which links
// libFuzzer. SwiftPM names an executable's entry point itself, so each target's main.swift hands
// its one-input function to libFuzzer's driver (`FuzzSupport.runFuzzer`). Seed corpora live in
// Fuzz/Corpus/<target>/.
let fuzzTarget: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer"])]
let fuzzLink: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])]

let package = Package(
  name: "ReleaseLinkerFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "ReleaseLinker", path: "..")],
  targets: [
    .target(
      name: "FuzzSupport",
      dependencies: [.product(name: "ReleaseLinkerCore", package: "ReleaseLinker")]),
    .executableTarget(
      name: "fuzz-archive-scan", dependencies: ["FuzzSupport"], swiftSettings: fuzzTarget,
      linkerSettings: fuzzLink),
    .executableTarget(
      name: "fuzz-link-derivation",
      dependencies: [
        "FuzzSupport", .product(name: "GitLabEmulator", package: "ReleaseLinker"),
      ],
      swiftSettings: fuzzTarget, linkerSettings: fuzzLink),
    .executableTarget(
      name: "fuzz-server-answers", dependencies: ["FuzzSupport"], swiftSettings: fuzzTarget,
      linkerSettings: fuzzLink),
    .executableTarget(
      name: "fuzz-glob-template", dependencies: ["FuzzSupport"], swiftSettings: fuzzTarget,
      linkerSettings: fuzzLink),
    .executableTarget(
      name: "fuzz-manifest", dependencies: ["FuzzSupport"], swiftSettings: fuzzTarget,
      linkerSettings: fuzzLink),
    .executableTarget(
      name: "fuzz-package-listing", dependencies: ["FuzzSupport"], swiftSettings: fuzzTarget,
      linkerSettings: fuzzLink),
  ]
)
