// swift-tools-version: 6.2
import PackageDescription

// Warnings are errors in every target of ours, so the suite fails on them.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
  name: "ReleaseLinker",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "release-linker", targets: ["release-linker"]),
    .executable(name: "gitlab-emulator", targets: ["gitlab-emulator"]),
    .library(name: "ReleaseLinkerCore", targets: ["ReleaseLinkerCore"]),
    .library(name: "GitLabEmulator", targets: ["GitLabEmulator"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    // Tests only: parses the CI templates to check the commands and flags they call.
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CCurl",
      pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"])]
    ),
    .systemLibrary(
      name: "CArchive",
      pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"])]
    ),
    // The emulator's own door to zlib, for the zip entries it serves; the shipped tool never uses it.
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    .target(
      name: "ReleaseLinkerCore",
      dependencies: ["CCurl", "CArchive"],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "release-linker",
      dependencies: [
        "ReleaseLinkerCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "GitLabEmulator",
      dependencies: [
        "CZlib",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      // Optimised in debug builds too: it hashes (SHA-256) and inflates every byte it is sent or
      // serves, and the suite moves hundreds of megabytes through it; unoptimised that takes
      // minutes (about 1 MB/s for the hash, 50 MB/s optimised).
      swiftSettings: strict + [.unsafeFlags(["-O"])]
    ),
    .executableTarget(
      name: "gitlab-emulator",
      dependencies: [
        "GitLabEmulator",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "ReleaseLinkerCoreTests",
      dependencies: ["ReleaseLinkerCore", "GitLabEmulator"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "ReleaseLinkerCLITests",
      dependencies: [
        "ReleaseLinkerCore", "GitLabEmulator", .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "GitLabEmulatorTests",
      dependencies: ["GitLabEmulator"],
      // The python-gitlab check is run by a test, not compiled.
      exclude: ["python"],
      swiftSettings: strict
    ),
  ]
)
