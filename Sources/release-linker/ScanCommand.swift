import ArgumentParser
import ReleaseLinkerCore

extension ReleaseLinkerCommand {
  /// `release-linker scan`: the assets and the links they would become, offline.
  struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "List the assets and the release links they would become, without contacting GitLab.",
      discussion: """
        Needs no token and no network, except with --artifacts-job (which downloads that job's \
        artifacts archive through the API). With --manifest FILE, a build job writes its links for \
        a release job to publish with `publish --manifest`. Only the settings the templates use are \
        required: the default URL needs --project-url (CI_PROJECT_URL) and --job-id (CI_JOB_ID).

        Skipped with a warning on standard error: symbolic links, devices and other non-regular \
        files, archive entries whose path is absolute, contains '..', is empty or is not UTF-8. \
        Exits 65 when there is no asset, for a missing PATH, a file that is not an archive, a \
        corrupt archive, a PATH outside the root, or two assets that would get the same name, URL \
        or direct_asset_path (all collisions are listed). The table fits the terminal (COLUMNS, \
        else 80 columns when not a terminal): long values are cut in the middle, never wrapped.

        Examples:
          release-linker scan dist/
          release-linker scan 'dist/**/*.deb' --output json
          release-linker scan --archive dist.tar.gz --include '**/*.tar.gz' \\
            --url-template 'https://downloads.example.com/{tag}/{path}' --tag v1.0
          release-linker scan bin --exclude '**/*.sha256' \\
            --type-rule package='**/*.tgz'
          release-linker scan dist --ref-urls --name-template '{stem} ({tag})'
          release-linker scan dist --checksums dist/SHA256SUMS
          release-linker scan --artifacts-job 1234 --project group/app \\
            --project-url https://gitlab.example.com/group/app
          release-linker scan "dist/$PLATFORM" \\
            --manifest "manifests/$PLATFORM.json"
        """)

    @OptionGroup var assets: AssetOptionGroup

    @Option(
      help: ArgumentHelp(
        "Write a sha256sum -c file of every asset to FILE (names relative to FILE's folder when the asset is inside it).",
        valueName: "FILE"))
    var checksums: String?

    @Option(
      help: ArgumentHelp(
        "Also write the links to FILE as a manifest (versioned JSON naming the project, the tag and each link's job) for `publish --manifest` in the release job. Needs the project and the tag.",
        valueName: "file"))
    var manifest: String?

    @OptionGroup var links: LinkSettingsOptions
    @OptionGroup var settings: ConnectionOptions
    @OptionGroup var output: OutputOptions

    mutating func validate() throws {
      if checksums != nil && assets.noChecksums {
        throw ValidationError("--checksums needs the SHA-256 of every asset: drop --no-checksums.")
      }
    }

    func run() throws {
      try CommandRunner.run { context in
        var input = ConfigurationInput()
        settings.apply(to: &input)
        links.apply(to: &input)
        input.maxDownloadSize = assets.maxDownloadSize
        return try ScanJob.run(
          assets.assetOptions(),
          configuration: Configuration(input: input, environment: context.environment),
          json: output.isJSON, manifest: manifest, context: context, checksumsFile: checksums)
      }
    }
  }
}
