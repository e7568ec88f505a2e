import Foundation
import Testing

/// The project's own pipeline, `.gitlab-ci.yml`: it parses, its jobs are wired as a tag pipeline needs
/// them, every release-linker call uses flags that exist, and its tag pipeline runs for real against the
/// GitLab emulator — the release created as the `release` keyword creates it, the built files linked by
/// the release job, and a re-run of that job writing nothing.
@Suite(.serialized) struct ProjectPipelineTests {
  static let file = ".gitlab-ci.yml"
  static let projectID = "20"

  /// The version CHANGELOG.md's newest heading names.
  static func changelogVersion() throws -> String {
    let text = try CIRepository.text("CHANGELOG.md")
    for line in text.split(separator: "\n") {
      if let match = line.wholeMatch(of: #/## (\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?: .*)?/#) {
        return String(match.output.1)
      }
    }
    throw CITestError("CHANGELOG.md has no heading ## X.Y.Z")
  }

  /// The text of a version's section of CHANGELOG.md, without the blank lines around it.
  static func changelogNotes(_ version: String) throws -> String {
    var lines: [Substring] = []
    var inside = false
    for line in try CIRepository.text("CHANGELOG.md").split(
      separator: "\n", omittingEmptySubsequences: false)
    {
      if line.hasPrefix("## ") {
        if inside { break }
        inside = line.split(separator: " ").dropFirst().first == Substring(version)
      } else if inside {
        lines.append(line)
      }
    }
    return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Visible jobs: the keys that are neither GitLab's global keywords nor hidden (`.name`).
  static func jobs(of pipeline: CIPipeline) -> [String] {
    pipeline.configuration.keys.filter {
      !CIPipeline.reservedKeys.contains($0) && !$0.hasPrefix(".")
    }.sorted()
  }

  /// Whether a job runs in tag pipelines: no rules, or a rule on `$CI_COMMIT_TAG`.
  static func runsOnTags(_ job: [String: YAMLValue]) -> Bool {
    guard let rules = job["rules"]?.list else { return true }
    return rules.contains { $0.map?["if"]?.string?.contains("$CI_COMMIT_TAG") == true }
  }

  static func onlyOnTags(_ job: [String: YAMLValue]) -> Bool {
    guard let rules = job["rules"]?.list else { return false }
    return rules.allSatisfy { $0.map?["if"]?.string == "$CI_COMMIT_TAG" }
  }

  static func scriptLines(_ job: [String: YAMLValue]) -> [String] {
    ["before_script", "script"].flatMap { key -> [String] in
      switch job[key] {
      case .list(let lines)?: lines.compactMap(\.string)
      case .string(let line)?: [line]
      default: []
      }
    }
  }

  /// Jobs whose script runs `release-linker` as a command (not merely names a file after it).
  static func jobsRunningReleaseLinker(_ pipeline: CIPipeline) -> [String] {
    jobs(of: pipeline).filter { name in
      scriptLines(pipeline.resolvedJob(name)).contains {
        $0.contains(#/(^|[;&|(]\s*|\$\(\s*)release-linker(\s|$)/#)
      }
    }
  }

  static func expand(_ text: String, _ variables: [String: String]) -> String {
    var unresolved: [String] = []
    return CIPipeline.expand(text, variables, unresolved: &unresolved)
  }

  /// The pipeline's own `variables:` with the registry values GitLab predefines.
  static func globalVariables(_ pipeline: CIPipeline) -> [String: String] {
    var variables = [
      "CI_REGISTRY": "registry.example.com",
      "CI_REGISTRY_IMAGE": "registry.example.com/group/project",
      "CI_COMMIT_TAG": "0.1.0",
    ]
    for (name, value) in pipeline.configuration["variables"]?.map ?? [:] {
      variables[name] = value.scalarText ?? ""
    }
    return variables
  }

  // MARK: - The file

  @Test func everyJobHasAStageAScriptAndNeedsThatExistInItsPipelines() throws {
    let pipeline = try CIPipeline.load(Self.file)
    let stages = pipeline.configuration["stages"]?.list?.compactMap(\.string) ?? []
    #expect(!stages.isEmpty, "no stages")
    let jobs = Self.jobs(of: pipeline)
    #expect(
      Set(jobs).isSuperset(of: [
        "test", "lint", "version", "dist-x86_64", "dist-aarch64", "release-files", "image-x86_64",
        "image-aarch64", "image-multiarch", "publish-component", "release-links",
      ]), "jobs: \(jobs)")
    for name in jobs {
      let job = pipeline.resolvedJob(name)
      let stage = try #require(job["stage"]?.string, "\(name) names no stage")
      let position = try #require(
        stages.firstIndex(of: stage), "\(name): stage \(stage) is not in stages")
      #expect(!Self.scriptLines(job).isEmpty, "\(name) has no script")
      for need in try pipeline.needs(of: name) {
        let needed = pipeline.resolvedJob(need)
        let neededStage = needed["stage"]?.string ?? ""
        #expect(
          (stages.firstIndex(of: neededStage) ?? Int.max) <= position,
          "\(name) (stage \(stage)) needs \(need), of the later stage \(neededStage)")
        // A job of a tag pipeline cannot need one that tag pipelines do not have.
        if Self.runsOnTags(job) {
          #expect(Self.runsOnTags(needed), "\(name) runs on tags but needs \(need), which does not")
        }
      }
    }
  }

  @Test func jobsRunWhatTheyAreFor() throws {
    let pipeline = try CIPipeline.load(Self.file)
    let variables = Self.globalVariables(pipeline)
    func job(_ name: String) -> [String: YAMLValue] { pipeline.resolvedJob(name) }
    func image(_ name: String) -> String {
      Self.expand(
        job(name)["image"]?.string ?? job(name)["image"]?.map?["name"]?.string ?? "", variables)
    }
    func script(_ name: String) -> String { Self.scriptLines(job(name)).joined(separator: "\n") }
    func tags(_ name: String) -> [String] {
      (job(name)["tags"] ?? pipeline.configuration["default"]?.map?["tags"])?.list?
        .compactMap(\.string).map { Self.expand($0, variables) } ?? []
    }

    // Tests and lint in a Swift 6.3 image on Debian 12 (bookworm), in every pipeline.
    for name in ["test", "lint"] {
      #expect(image(name) == "swift:6.3-bookworm", "\(name) runs in \(image(name))")
      #expect(job(name)["rules"] == nil, "\(name) does not run in every pipeline")
    }
    #expect(script("test").contains("make test"))
    #expect(script("lint").contains("make lint layers"))

    // One static release build per architecture, each on a runner of that architecture.
    let amd64 = variables["RUNNER_TAG_AMD64"] ?? ""
    let arm64 = variables["RUNNER_TAG_ARM64"] ?? ""
    for (name, arch, tag) in [("dist-x86_64", "x86_64", amd64), ("dist-aarch64", "aarch64", arm64)]
    {
      #expect(image(name) == "swift:6.3-bookworm")
      #expect(script(name).contains("make dist"), "\(name) does not run make dist")
      #expect(job(name)["variables"]?.map?["DIST_ARCH"]?.string == arch)
      #expect(tags(name) == [tag], "\(name) runs on \(tags(name))")
    }
    for (name, tag) in [("image-x86_64", amd64), ("image-aarch64", arm64)] {
      #expect(tags(name) == [tag], "\(name) runs on \(tags(name))")
    }
    #expect(amd64.hasSuffix("-amd64") && arm64.hasSuffix("-arm64"))

    // The images are built without a Docker daemon, logged in with the job's registry credentials.
    for name in Self.jobs(of: pipeline) {
      #expect(job(name)["services"] == nil, "\(name) starts a service (a Docker daemon?)")
      #expect(!script(name).contains("docker "), "\(name) runs docker")
    }
    for name in ["image-x86_64", "image-aarch64", "image-multiarch"] {
      #expect(image(name).hasPrefix("quay.io/buildah/"), "\(name) runs in \(image(name))")
      #expect(
        script(name).contains(
          #"echo "$CI_REGISTRY_PASSWORD" | buildah login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY""#
        ), "\(name) does not log in to the project's registry")
      #expect(Self.onlyOnTags(job(name)), "\(name) pushes outside tag pipelines")
    }
    for name in ["image-x86_64", "image-aarch64"] {
      #expect(script(name).contains("buildah build --file Dockerfile.release"))
    }
    // The version tag and latest; the release job runs in the image just pushed.
    let pushes = script("image-multiarch").matches(
      of: #/manifest push --all release-linker "docker://([^"]+)"/#
    )
    .map { Self.expand(String($0.output.1), variables) }
    #expect(
      pushes == [
        "registry.example.com/group/project:0.1.0", "registry.example.com/group/project:latest",
      ])
    #expect(image("release-links") == pushes.first)

    // The release: created by the `release` keyword (which publishes the component to the CI/CD
    // Catalog) in a job with glab, after the tests, the lint, the files and the image.
    let release = try #require(
      job("publish-component")["release"]?.map, "publish-component has no release keyword")
    #expect(release["tag_name"]?.string == "$CI_COMMIT_TAG")
    #expect(image("publish-component") == "registry.gitlab.com/gitlab-org/cli:latest")
    let gate = Set(try pipeline.needs(of: "publish-component"))
    #expect(gate.isSuperset(of: ["test", "lint", "release-files", "image-multiarch", "version"]))
    #expect(try pipeline.needs(of: "release-links").contains("publish-component"))

    // The files the release links to never expire; the build jobs' own copies do.
    #expect(job("release-files")["artifacts"]?.map?["expire_in"]?.string == "never")
    for name in ["dist-x86_64", "dist-aarch64"] {
      #expect(job(name)["artifacts"]?.map?["expire_in"]?.string != "never")
    }
    for name in ["release-files", "publish-component", "release-links"] {
      #expect(Self.onlyOnTags(job(name)), "\(name) runs outside tag pipelines")
    }
  }

  @Test func releaseLinkerIsCalledWithRealFlagsAndKeepsItsReports() throws {
    let pipeline = try CIPipeline.load(Self.file)
    let jobs = Self.jobsRunningReleaseLinker(pipeline)
    #expect(jobs == ["release-links"], "jobs running release-linker: \(jobs)")
    for name in jobs {
      let run = try pipeline.runScript(of: name)
      #expect(run.unresolvedVariables.isEmpty, "\(name): \(run.unresolvedVariables)")
      #expect(run.status == 0, "\(name): the script failed in a shell: \(run.stderr)")
      #expect(run.calls.contains { $0.first == "publish" }, "\(name) does not run publish")
      for call in run.calls {
        for problem in try ReleaseLinkerHelp.problems(with: call) {
          Issue.record("\(name): \(problem)")
        }
      }
      let artifacts = pipeline.resolvedJob(name)["artifacts"]?.map ?? [:]
      for call in run.calls where call.first == "publish" {
        // Links to artifacts would last only as long as them: the files go to the registry.
        #expect(call.value(after: "--upload") == "generic", "\(call) links artifacts")
        #expect(call.contains("--verify"), "\(call) does not check that the links download")
        #expect(artifacts["reports"]?.map?["dotenv"]?.string == call.value(after: "--dotenv"))
        #expect(
          artifacts["paths"]?.list?.contains { $0.string == call.value(after: "--report") } == true)
        #expect(artifacts["when"]?.string == "always", "the report is lost when some links fail")
      }
    }
  }

  // MARK: - The tag pipeline, for real

  @Test func aTagPipelineLinksTheReleaseFilesAndARerunWritesNothing() throws {
    let pipeline = try CIPipeline.load(Self.file)
    let version = try Self.changelogVersion()
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("project-pipeline-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }

    let emulator = try EmulatorProcess(arguments: [
      "--project", "\(Self.projectID):group/project",
      "--job-token", "job-token-value:\(Self.projectID):\(CIPipeline.ownJobID)",
    ])
    defer { emulator.stop() }
    let tagPipeline = [
      "CI_COMMIT_TAG": version, "CI_COMMIT_REF_NAME": version,
      "CI_API_V4_URL": emulator.baseURL + "/api/v4", "CI_SERVER_URL": emulator.baseURL,
      "CI_PROJECT_URL": emulator.baseURL + "/group/project",
    ]
    var run = PipelineRun(pipeline: pipeline, root: root, variables: tagPipeline)

    // The jobs release-links depends on, each in its own checkout, their artifacts handed on as GitLab
    // hands them. The release builds are stood in for by the test build's binary (make dist packs it
    // under each job's DIST_ARCH), and the image by that binary on PATH. What cannot run here, the
    // tests, the lint and buildah, is not run.
    let order = try run.jobsBefore("release-links")
    #expect(
      order == ["version", "dist-x86_64", "dist-aarch64", "release-files", "publish-component"],
      "\(order)")
    for name in order {
      let result = try run.run(name)
      try #require(result.status == 0, "job \(name) failed: \(result.stderr)")
    }

    // publish-component's `release` keyword: GitLab creates the release from it once the script
    // succeeded, with the notes of this version.
    let created = try run.carryOutReleaseKeyword(of: "publish-component", emulator: emulator)
    try #require(created.status == 201, "creating the release: \(created.status) \(created.body)")
    let release = try emulator.release(project: Self.projectID, tag: version)
    #expect(release["name"] as? String == "release-linker \(version)")
    #expect(
      (release["description"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines)
        == (try Self.changelogNotes(version)))
    #expect(!(try Self.changelogNotes(version)).isEmpty)

    // release-links, as the tag pipeline runs it.
    let first = try run.run("release-links", jobID: CIPipeline.ownJobID)
    try #require(first.status == 0, "release-links failed: \(first.stderr)")
    let links = try emulator.links(project: Self.projectID, tag: version)
    let expected = [
      "SHA256SUMS", "release-linker-aarch64-linux.tar.gz", "release-linker-x86_64-linux.tar.gz",
    ]
    #expect(links.compactMap { $0["name"] as? String }.sorted() == expected)
    let filesJob = run.directory(of: "release-files")
    let fetchedFiles = root.appendingPathComponent("downloads")
    try FileManager.default.createDirectory(at: fetchedFiles, withIntermediateDirectories: true)
    for link in links {
      let name = link["name"] as? String ?? ""
      let url = link["url"] as? String ?? ""
      // A package file of the generic package `release-linker`, not an artifact that may expire.
      let prefix = emulator.baseURL + "/group/project/-/package_files/"
      #expect(
        url.hasPrefix(prefix) && url.hasSuffix("/download"),
        "\(name) points at \(url), not at a package file")
      // What the link downloads is the file release-files kept.
      let fetched = try Shell.run(
        [
          "curl", "--silent", "--show-error", "--fail", "--location", "--header",
          "JOB-TOKEN: job-token-value", "--output", fetchedFiles.appendingPathComponent(name).path,
          url,
        ], in: root)
      #expect(fetched.status == 0, "\(name): \(fetched.stderr)")
      #expect(
        FileManager.default.contentsEqual(
          atPath: fetchedFiles.appendingPathComponent(name).path,
          andPath: filesJob.appendingPathComponent("dist/\(name)").path),
        "\(name) downloads other bytes than the file built")
      #expect(link["direct_asset_path"] as? String == "/\(name)")
      #expect(link["link_type"] as? String == (name.hasSuffix(".tar.gz") ? "package" : "other"))
      #expect(
        (link["direct_asset_url"] as? String)?.hasSuffix(
          "/group/project/-/releases/\(version)/downloads/\(name)")
          == true)
    }
    // SHA256SUMS, as downloaded, checks both tarballs as downloaded.
    let sums = try Shell.run(["sha256sum", "-c", "SHA256SUMS"], in: fetchedFiles)
    #expect(
      sums.status == 0
        && sums.stdout
          == "release-linker-aarch64-linux.tar.gz: OK\nrelease-linker-x86_64-linux.tar.gz: OK\n",
      "\(sums.stdout)\(sums.stderr)")

    // The README downloads from the latest release's permanent links exactly these paths.
    let readme = try CIRepository.text("README.md")
    let downloads = readme.matches(of: #/permalink/latest/downloads/([A-Za-z0-9._${}-]+)/#).map {
      String($0.output.1)
    }
    #expect(!downloads.isEmpty, "the README shows no download from the latest release")
    let paths = Set(links.compactMap { $0["direct_asset_path"] as? String })
    for download in downloads {
      for arch in ["x86_64", "aarch64"] {
        let path =
          "/"
          + download.replacingOccurrences(of: "${arch}", with: arch)
          .replacingOccurrences(of: "$arch", with: arch)
        #expect(
          paths.contains(path), "the README downloads \(path), which the release does not link")
      }
    }

    let report = try CITemplateEndToEndTests.dotenv(
      run.directory(of: "release-links").appendingPathComponent("release-linker.env"))
    #expect(report["RELEASE_LINKER_TAG"] == version)
    #expect(report["RELEASE_LINKER_CREATED"] == "3")
    #expect(report["RELEASE_LINKER_FAILED"] == "0")

    // Retried, release-links finds every link in place; the `release` keyword's job cannot be retried
    // (GitLab answers 409 for a release that exists).
    let writes = try emulator.writes()
    let second = try run.run("release-links", jobID: CIPipeline.ownJobID)
    #expect(second.status == 0, "the re-run failed: \(second.stderr)")
    #expect(try emulator.writes() == writes, "the re-run sent writes")
    let again = try CITemplateEndToEndTests.dotenv(
      run.directory(of: "release-links").appendingPathComponent("release-linker.env"))
    #expect(again["RELEASE_LINKER_UNCHANGED"] == "3" && again["RELEASE_LINKER_CREATED"] == "0")
    #expect(
      try run.carryOutReleaseKeyword(of: "publish-component", emulator: emulator).status == 409)
  }

  @Test func aTagThatIsNotTheVersionStopsThePipeline() throws {
    let pipeline = try CIPipeline.load(Self.file)
    let version = try Self.changelogVersion()
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("project-pipeline-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }

    for (tag, reason) in [
      ("v\(version)", "not a semantic version"), ("99.0.0", "the version is \(version)"),
    ] {
      var run = PipelineRun(
        pipeline: pipeline, root: root.appendingPathComponent(tag),
        variables: ["CI_COMMIT_TAG": tag, "CI_COMMIT_REF_NAME": tag])
      let result = try run.run("version")
      #expect(result.status != 0, "the version job accepted the tag \(tag)")
      #expect(result.stderr.contains(reason), "\(tag): \(result.stderr)")
    }
    var branch = PipelineRun(
      pipeline: pipeline, root: root.appendingPathComponent("branch"),
      variables: ["CI_COMMIT_TAG": ""])
    #expect(try branch.run("version").status == 0, "the version job fails outside tag pipelines")
  }

  // MARK: - One version

  @Test func changelogVersionIsWhatTheBinaryAndTheTemplatesSay() throws {
    let version = try Self.changelogVersion()
    let printed = try CLIRunner.run(["--version"])
    #expect(printed.stdout == version + "\n", "release-linker --version says \(printed.stdout)")
    let script = try Shell.run([CIRepository.root.appendingPathComponent("scripts/version.sh").path]
    )
    #expect(script.status == 0 && script.stdout == version + "\n", "\(script.stderr)")

    // Users of the template and the component get this version's image unless they choose another.
    let template = try CIPipeline.load("ci-templates/release-linker.yml")
    let templateImage =
      template.resolvedJob(".release-linker")["variables"]?.map?["RELEASE_LINKER_IMAGE"]?.string
      ?? ""
    #expect(
      templateImage.hasSuffix("/release-linker:\(version)"),
      "the template's image: \(templateImage)")
    let component = try CIComponent.load("templates/release-linker/template.yml")
    let componentImage = component.inputs["image"]?.map?["default"]?.string ?? ""
    #expect(
      componentImage.hasSuffix("/release-linker:\(version)"),
      "the component's image: \(componentImage)")
  }

  /// Every place users copy a version from (an image tag, a component version, an include's ref)
  /// names this one, so a release never points at the previous one.
  @Test func everyVersionUsersCopyIsThisOne() throws {
    let version = try Self.changelogVersion()
    let files = ["README.md", "Dockerfile"] + CITemplateTests.files
    var found = 0
    for file in Set(files).sorted() {
      let text = try CIRepository.text(file)
      let references = text.matches(
        of: #/release-linker[@:](\d[0-9A-Za-z.+-]*)|/-/raw/([^/\s]+)/ci-templates|\bref: (\S+)/#)
      for reference in references {
        let named = String(reference.output.1 ?? reference.output.2 ?? reference.output.3 ?? "")
        found += 1
        #expect(named == version, "\(file): \(reference.output.0) is not \(version)")
      }
    }
    #expect(found > 0)
  }

  @Test func versionScriptRefusesASourceThatSaysAnotherVersion() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("version-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try RepositoryCheckout.make(at: folder)
    let source = folder.appendingPathComponent(
      "Sources/ReleaseLinkerCore/Base/ReleaseLinkerVersion.swift")
    let text = try String(contentsOf: source, encoding: .utf8)
    try text.replacing(#/current = "[^"]*"/#, with: #"current = "9.9.9""#)
      .write(to: source, atomically: true, encoding: .utf8)
    let result = try Shell.run([folder.appendingPathComponent("scripts/version.sh").path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("says 9.9.9"), "\(result.stderr)")
  }

  @Test func runnerTagsAreTheOnesTheReadmeNames() throws {
    let pipeline = try CIPipeline.load(Self.file)
    let variables = Self.globalVariables(pipeline)
    let readme = try CIRepository.text("README.md")
    for name in ["RUNNER_TAG_AMD64", "RUNNER_TAG_ARM64"] {
      let tag = try #require(variables[name], "\(Self.file) does not set \(name)")
      #expect(readme.contains("`\(name)`"), "the README does not say how to change \(name)")
      #expect(readme.contains("`\(tag)`"), "the README does not name the runner tag \(tag)")
    }
  }

  /// The release image is the Dockerfile's runtime with the tarball's binary: the same base, packages,
  /// user and command, so `make check-image`'s bare Debian 12 root stands for both.
  @Test func releaseImageHasTheDockerfilesRuntime() throws {
    func runtimeStage(_ file: String) throws -> [String] {
      var instructions: [String] = []
      var current = ""
      for line in try CIRepository.text(file).split(separator: "\n") {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("#") || text.isEmpty { continue }
        current += (current.isEmpty ? "" : " ") + text
        if current.hasSuffix("\\") {
          current.removeLast()
          continue
        }
        if current.hasPrefix("FROM ") { instructions = [] }
        instructions.append(
          current.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
        current = ""
      }
      return instructions.filter { !$0.hasPrefix("COPY ") }
    }
    let fromSource = try runtimeStage("Dockerfile")
    let release = try runtimeStage("Dockerfile.release")
    #expect(fromSource.first == "FROM ${RUNTIME_IMAGE}")
    #expect(
      release == fromSource, "Dockerfile.release's runtime stage differs from the Dockerfile's")
  }
}

/// A pipeline's jobs run one after another in folders of their own, as runners run them: each job gets
/// a checkout of the repository, the artifacts of the jobs it needs and the variables GitLab gives it.
struct PipelineRun {
  let pipeline: CIPipeline
  let root: URL
  /// Predefined variables of this pipeline (the tag, the API URL…), over CIPipeline's defaults.
  let variables: [String: String]
  private var folders: [String: URL] = [:]
  private var ids: [String: String] = [:]

  init(pipeline: CIPipeline, root: URL, variables: [String: String]) {
    self.pipeline = pipeline
    self.root = root
    self.variables = variables
  }

  func directory(of job: String) -> URL { root.appendingPathComponent(job) }

  /// The jobs to run before `job`, in an order GitLab could run them: the ones whose artifacts it
  /// receives, and a `release` keyword's job (its release is what comes next), with what those need
  /// in turn. Jobs needed only to have passed (`artifacts: false`) are not run.
  func jobsBefore(_ job: String) throws -> [String] {
    func needs(_ name: String) throws -> [(job: String, runs: Bool)] {
      let entries = pipeline.resolvedJob(name)["needs"]?.list ?? []
      return try pipeline.needs(of: name).map { need in
        let entry = entries.first { $0.string == need || $0.map?["job"]?.string == need }
        let withArtifacts = entry?.map?["artifacts"]?.bool ?? true
        return (need, withArtifacts || pipeline.resolvedJob(need)["release"] != nil)
      }
    }
    var toRun: Set<String> = []
    var pending = [job]
    while let name = pending.popLast() {
      for need in try needs(name) where need.runs && !toRun.contains(need.job) {
        toRun.insert(need.job)
        pending.append(need.job)
      }
    }
    // Every job after all it needs, whether it runs here or not.
    var order: [String] = []
    func visit(_ name: String) throws {
      for need in try needs(name) where !order.contains(need.job) {
        try visit(need.job)
        if !order.contains(need.job) { order.append(need.job) }
      }
    }
    try visit(job)
    return order.filter(toRun.contains)
  }

  /// Runs the job's script (`before_script` and `script`) in bash in its folder, with the built
  /// binaries first on PATH, the test build's binary as the one `make dist` packs, and a fixed
  /// SOURCE_DATE_EPOCH (a checkout here has no history).
  mutating func run(_ job: String, jobID: String? = nil) throws -> (status: Int32, stderr: String) {
    let folder = directory(of: job)
    if !FileManager.default.fileExists(atPath: folder.path) {
      try RepositoryCheckout.make(at: folder)
      for need in try pipeline.needs(of: job) where folders[need] != nil {
        try copyArtifacts(of: need, into: folder)
      }
    }
    folders[job] = folder
    // A needed job's id is the one the interpreter gives every needed job, so its dotenv export and
    // the ids links carry agree.
    let id = jobID ?? CIPipeline.neededJobID
    ids[job] = id
    var environment = try pipeline.environment(
      of: job, directory: folder.path, jobID: id, overrides: variables
    ).variables
    environment["PATH"] =
      CLIRunner.productsDirectory.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
    environment["RELEASE_LINKER_BINARY"] =
      CLIRunner.productsDirectory.appendingPathComponent("release-linker").path
    environment["SOURCE_DATE_EPOCH"] = DistTests.epoch
    let result = try CIPipeline.bash(pipeline.script(of: job), environment: environment, in: folder)
    // What a dotenv report exported must be what CIPipeline reads from the script.
    if result.status == 0,
      let report = pipeline.resolvedJob(job)["artifacts"]?.map?["reports"]?.map?["dotenv"]?.string
    {
      let written = try CITemplateEndToEndTests.dotenv(folder.appendingPathComponent(report))
      #expect(!written.isEmpty, "\(job) wrote no \(report)")
      for (name, value) in written where name.hasSuffix("_JOB_ID") {
        #expect(value == id, "\(job) exports \(name)=\(value), not its job id \(id)")
      }
    }
    return result
  }

  /// Copies the files `artifacts:paths` (globs, folders) select in `job`'s folder into `target`.
  private func copyArtifacts(of job: String, into target: URL) throws {
    let patterns = (pipeline.resolvedJob(job)["artifacts"]?.map?["paths"]?.list ?? []).compactMap(
      \.string)
    guard !patterns.isEmpty else { return }
    let listing = try Shell.bash(
      """
      shopt -s nullglob globstar
      for pattern in "$@"; do
        for path in $pattern; do
          if [ -d "$path" ]; then find "$path" -type f; else printf '%s\\n' "$path"; fi
        done
      done
      """, patterns, in: directory(of: job))
    guard listing.status == 0 else {
      throw CITestError("listing \(job)'s artifacts: \(listing.stderr)")
    }
    for path in listing.stdout.split(separator: "\n").map(String.init) {
      let relative = path.replacingOccurrences(of: "//", with: "/")
      let destination = target.appendingPathComponent(relative)
      try FileManager.default.createDirectory(
        at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? FileManager.default.removeItem(at: destination)
      try FileManager.default.copyItem(
        at: directory(of: job).appendingPathComponent(relative), to: destination)
    }
  }

  /// What GitLab does for a job's `release` keyword after its script: `POST /projects/:id/releases`
  /// with the tag, the name and the description (read from the file when it names one, as
  /// `release:description` allows), with the job token.
  func carryOutReleaseKeyword(of job: String, emulator: EmulatorProcess) throws -> (
    status: Int, body: String
  ) {
    let release = pipeline.resolvedJob(job)["release"]?.map ?? [:]
    let folder = directory(of: job)
    let environment = try pipeline.environment(
      of: job, directory: folder.path, jobID: ids[job] ?? CIPipeline.neededJobID,
      overrides: variables
    ).variables
    func value(_ key: String) -> String {
      var unresolved: [String] = []
      return CIPipeline.expand(release[key]?.scalarText ?? "", environment, unresolved: &unresolved)
    }
    let tag = value("tag_name")
    var fields = ["tag_name=\(tag)", "name=\(release["name"] == nil ? tag : value("name"))"]
    let description = value("description")
    let file = folder.appendingPathComponent(description)
    fields.append(
      FileManager.default.fileExists(atPath: file.path) && !description.isEmpty
        ? "description@\(file.path)" : "description=\(description)")
    var arguments = [
      "curl", "--silent", "--noproxy", "*", "--output", "-", "--write-out", "\n%{http_code}",
      "--header", "JOB-TOKEN: \(environment["CI_JOB_TOKEN"] ?? "")",
    ]
    for field in fields { arguments += ["--data-urlencode", field] }
    arguments.append(
      emulator.baseURL + "/api/v4/projects/\(ProjectPipelineTests.projectID)/releases")
    let result = try Shell.run(arguments)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    return (Int(lines.last ?? "") ?? -1, lines.dropLast().joined(separator: "\n"))
  }
}

extension EmulatorProcess {
  /// A release as the Releases API shows it, read with the job token.
  func release(project: String, tag: String) throws -> [String: Any] {
    let result = try Shell.run([
      "curl", "--silent", "--fail", "--noproxy", "*", "--header", "JOB-TOKEN: job-token-value",
      baseURL + "/api/v4/projects/\(project)/releases/\(tag)",
    ])
    guard result.status == 0 else {
      throw CITestError("GET release \(tag): curl exit \(result.status)")
    }
    return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
  }
}
