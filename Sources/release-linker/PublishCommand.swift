import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand {
  /// `release-linker publish`: the main job.
  struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Scan the artifacts and make the release's links match them: create, update, keep, prune.",
      discussion: """
        Reads every link of the release, matches each asset to a link by direct_asset_path, else name, \
        else URL, and sends only the writes needed. Running it again changes nothing; a re-run after a \
        failure repairs what is missing. Links no asset matches are kept (the run says how many) \
        unless --prune, which deletes those inside --prune-scope that point into this project (or \
        anywhere, with --prune-foreign). With --manifest, the links build jobs wrote with `scan \
        --manifest` are published as well, all checked together. The reports are written however the run ends. Exit codes: 0 done, 1 some \
        links failed or the release is missing, 64 usage, 65 bad artifacts (none, a missing PATH, \
        not an archive, a collision), 69 GitLab unavailable, 77 token refused.

        Examples:
          release-linker publish dist/ --job-id "$BUILD_JOB_ID"
          release-linker publish 'dist/*.deb' --job-id "$BUILD_JOB_ID" --quiet
          release-linker publish --artifacts-job "$BUILD_JOB_ID" --include 'bin/**' --prune
          release-linker publish --artifacts-job "$BUILD_JOB_ID" --create-release
          release-linker publish dist/ --create-release --update-release \\
            --release-notes CHANGES.md --notes-mode append --milestone 1.2
          release-linker publish dist/ --report report.json --dotenv release.env
          release-linker publish --manifest 'manifests/*.json' --prune --order name
          release-linker publish docs/ --prune --prune-scope '/docs/**'
          release-linker publish dist/ --upload generic --checksums SHA256SUMS --verify
        """)

    @OptionGroup var assets: AssetOptionGroup
    @OptionGroup var release: ReleaseOptionGroup
    @OptionGroup var upload: UploadOptionGroup

    @Option(
      help: ArgumentHelp(
        "Write a sha256sum -c file of every asset to FILE; with --upload generic it is uploaded and linked too.",
        valueName: "FILE"))
    var checksums: String?

    @Flag(
      help:
        "After publishing, fetch every link of the release as a person would and exit 1 when one does not download."
    )
    var verify = false

    @Flag(
      name: .customLong("dry-run"), help: "Print the plan and send no write (the same as `plan`).")
    var dryRun = false

    @OptionGroup var links: LinkSettingsOptions
    @OptionGroup var settings: ConnectionOptions
    @OptionGroup var output: OutputOptions

    mutating func validate() throws {
      try UploadOptionGroup.validate(upload, assets: assets)
      if checksums != nil && assets.noChecksums {
        throw ValidationError("--checksums needs the SHA-256 of every asset: drop --no-checksums.")
      }
    }

    func run() throws {
      try PublishRun.run(
        assets: assets, release: release, upload: upload, checksums: checksums, verify: verify,
        dryRun: dryRun, links: links, settings: settings, output: output)
    }
  }

  /// `release-linker plan`: exactly `publish --dry-run`.
  struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show what publish would do, reading the release but sending no write.",
      discussion: """
        Exactly `publish --dry-run`: every option of publish applies, and the JSON report lists each \
        link with status "planned".

        Examples:
          release-linker plan dist/ --job-id "$BUILD_JOB_ID"
          release-linker plan --artifacts-job "$BUILD_JOB_ID" --prune --output json
          release-linker plan dist/ --upload generic --package-name app
        """)

    @OptionGroup var assets: AssetOptionGroup
    @OptionGroup var release: ReleaseOptionGroup
    @OptionGroup var upload: UploadOptionGroup

    @Option(
      help: ArgumentHelp(
        "Write a sha256sum -c file of every asset to FILE (it would be uploaded too with --upload generic).",
        valueName: "FILE"))
    var checksums: String?

    @OptionGroup var links: LinkSettingsOptions
    @OptionGroup var settings: ConnectionOptions
    @OptionGroup var output: OutputOptions

    mutating func validate() throws {
      try UploadOptionGroup.validate(upload, assets: assets)
      if checksums != nil && assets.noChecksums {
        throw ValidationError("--checksums needs the SHA-256 of every asset: drop --no-checksums.")
      }
    }

    func run() throws {
      try PublishRun.run(
        assets: assets, release: release, upload: upload, checksums: checksums, verify: false,
        dryRun: true, links: links, settings: settings, output: output)
    }
  }
}

/// The part `publish` and `plan` share: options to a request, one call into the core.
enum PublishRun {
  static func run(
    assets: AssetOptionGroup, release: ReleaseOptionGroup, upload: UploadOptionGroup,
    checksums: String?, verify: Bool, dryRun: Bool, links: LinkSettingsOptions,
    settings: ConnectionOptions, output: OutputOptions
  ) throws {
    try CommandRunner.run { context in
      var sources = assets.assetOptions()
      sources.manifests = release.manifests
      let request = PublishRequest(
        assets: sources, prune: release.prune, pruneScope: release.pruneScope,
        pruneForeign: release.pruneForeign, order: release.order, dryRun: dryRun,
        createRelease: release.createRelease, updateRelease: release.updateRelease,
        releaseName: release.releaseName, releaseNotesFile: release.releaseNotes,
        notesMode: release.notesMode, milestones: release.milestones,
        releasedAt: release.releasedAt, ref: release.ref, tagMessage: release.tagMessage,
        reportFile: release.report, dotenvFile: release.dotenv, json: output.isJSON,
        quiet: release.quiet, upload: upload.request, checksumsFile: checksums, verify: verify)
      var input = ConfigurationInput()
      settings.apply(to: &input)
      links.apply(to: &input)
      input.concurrency = release.concurrency
      input.maxDownloadSize = assets.maxDownloadSize
      return try PublishJob.run(
        request, configuration: Configuration(input: input, environment: context.environment),
        context: context)
    }
  }
}
