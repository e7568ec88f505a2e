import Foundation
import Testing
import Yams

/// The GitLab CI template, the CI/CD component and their example pipelines: each parses, and every
/// `release-linker …` their jobs would run names a real command and only flags that command accepts,
/// as the built binary's own `--help` lists them.
///
/// The job scripts run in a real shell with the variables GitLab would give them (the template's
/// defaults, the example's settings, the build job's dotenv), with `release-linker` captured as a shell
/// function so the exact argument vectors can be checked against the real binary.
@Suite struct CITemplateTests {
  static let files: [String] = CIRepository.yamlFiles()

  @Test func everyTemplateIsFound() {
    #expect(Self.files.contains("ci-templates/release-linker.yml"))
    #expect(Self.files.contains("templates/release-linker/template.yml"))
    #expect(Self.files.contains { $0.hasPrefix("ci-templates/examples/") })
  }

  @Test(arguments: files)
  func jobsCallOnlyRealCommandsAndFlags(file: String) throws {
    let pipeline = try CIPipeline.load(file)
    let jobs = pipeline.jobsCallingReleaseLinker()
    #expect(!jobs.isEmpty, "\(file) defines no job that runs release-linker")
    for job in jobs {
      let run = try pipeline.runScript(of: job)
      #expect(run.unresolvedVariables.isEmpty, "\(file), job \(job): \(run.unresolvedVariables)")
      #expect(run.status == 0, "\(file), job \(job): the script failed in a shell: \(run.stderr)")
      #expect(!run.calls.isEmpty, "\(file), job \(job) never calls release-linker")
      for call in run.calls {
        for problem in try ReleaseLinkerHelp.problems(with: call) {
          Issue.record("\(file), job \(job): \(problem)")
        }
      }
    }
  }

  @Test(arguments: files + [ExampleRun.readmePipeline])
  func publishJobsRunForTagsWithTheJobTokenAndKeepTheReports(file: String) throws {
    let pipeline = try ExampleRun.pipeline(file)
    for job in pipeline.jobsCallingReleaseLinker() {
      let definition = pipeline.resolvedJob(job)
      let run = try pipeline.runScript(of: job)
      let publishes = run.calls.filter { $0.first == "publish" }
      if publishes.isEmpty {
        // A build job may scan its own files into a manifest; anything else must publish.
        #expect(
          run.calls.allSatisfy { $0.first == "scan" || $0 == ["--version"] }
            && run.calls.contains { $0.contains("--manifest") },
          "\(file), job \(job) neither publishes nor writes a manifest: \(run.calls)")
        #expect(
          (definition["variables"]?.map ?? [:])["GITLAB_TOKEN"] == nil,
          "\(file), job \(job) sets a token, which scan does not need")
        continue
      }

      let rules = definition["rules"]?.list ?? []
      #expect(
        rules.contains { $0.map?["if"]?.string?.contains("$CI_COMMIT_TAG") == true },
        "\(file), job \(job) is not limited to tag pipelines: rules \(rules)")

      let variables = definition["variables"]?.map ?? [:]
      #expect(
        variables["GITLAB_TOKEN"] == nil,
        "\(file), job \(job) sets a token instead of the job token")
      for call in publishes {
        #expect(!call.contains("--token-file"), "\(file), job \(job) reads a token file")
        let dotenv = call.value(after: "--dotenv")
        let report = call.value(after: "--report")
        #expect(dotenv != nil && report != nil, "\(file), job \(job): \(call) writes no reports")
        let artifacts = definition["artifacts"]?.map ?? [:]
        #expect(
          artifacts["reports"]?.map?["dotenv"]?.string == dotenv,
          "\(file), job \(job): artifacts:reports:dotenv is not the file --dotenv writes")
        #expect(
          artifacts["paths"]?.list?.contains { $0.string == report } == true,
          "\(file), job \(job): the --report file is not kept as an artifact")
        // The report matters most when links failed, and then the job fails.
        #expect(
          artifacts["when"]?.string == "always",
          "\(file), job \(job): the report is not kept when the job fails (artifacts:when)")
      }
    }
  }

  @Test func exampleSettingsReachTheCommandLine() throws {
    // The examples' variables and inputs must end up as flags, or the examples would show nothing.
    let expectations: [(file: String, flags: [String])] = [
      (
        "ci-templates/examples/include-template.gitlab-ci.yml",
        ["--job-id", "--create-release", "--type-rule"]
      ),
      (
        "ci-templates/examples/artifacts-job.gitlab-ci.yml",
        ["--artifacts-job", "--include", "--exclude", "--link-type", "--prune"]
      ),
      (
        "ci-templates/examples/component.gitlab-ci.yml",
        [
          "--job-id", "--exclude", "--type-rule", "--create-release", "--update-release",
          "--release-name",
        ]
      ),
      ("ci-templates/examples/minimal.gitlab-ci.yml", ["--job-id", "--create-release"]),
      (
        "ci-templates/examples/matrix.gitlab-ci.yml",
        ["--manifest", "--create-release", "--prune", "--order"]
      ),
    ]
    for (file, flags) in expectations {
      let pipeline = try CIPipeline.load(file)
      let calls = try pipeline.jobsCallingReleaseLinker().flatMap {
        try pipeline.runScript(of: $0).calls
      }
      let publish = try #require(calls.first { $0.first == "publish" }, "\(file) runs no publish")
      for flag in flags {
        #expect(publish.contains(flag), "\(file): \(flag) missing from \(publish)")
      }
      // The build job's id comes through its dotenv, not this job's own CI_JOB_ID.
      if let jobID = publish.value(after: "--job-id") ?? publish.value(after: "--artifacts-job") {
        #expect(jobID == CIPipeline.neededJobID, "\(file): links point at job \(jobID)")
      }
    }
  }

  @Test func pathsAreOnePerLineAndMayHoldSpaces() throws {
    for file in ["ci-templates/release-linker.yml", "templates/release-linker/template.yml"] {
      var pipeline = try CIPipeline.load(file)
      let job = try #require(pipeline.jobsCallingReleaseLinker().first)
      var definition = pipeline.resolvedJob(job)
      var variables = definition["variables"]?.map ?? [:]
      variables["RELEASE_LINKER_PATHS"] = .string("dist/my app.deb\nbin\n\ndocs/*.md")
      definition["variables"] = .map(variables)
      definition["extends"] = nil
      pipeline.configuration[job] = .map(definition)
      let publish = try #require(
        try pipeline.runScript(of: job).calls.first { $0.first == "publish" })
      #expect(
        Array(publish.prefix(4)) == ["publish", "dist/my app.deb", "bin", "docs/*.md"], "\(file)")
    }
  }

  @Test func anEmptyJobIDIsPassedOnNotDropped() throws {
    // The build job's id variable never reached the release job: the value is there but empty.
    for file in ["ci-templates/release-linker.yml", "templates/release-linker/template.yml"] {
      for variable in ["RELEASE_LINKER_JOB_ID", "RELEASE_LINKER_ARTIFACTS_JOB"] {
        var pipeline = try CIPipeline.load(file)
        let job = try #require(pipeline.jobsCallingReleaseLinker().first)
        var definition = pipeline.resolvedJob(job)
        var variables = definition["variables"]?.map ?? [:]
        variables[variable] = .string("$UNSET_BUILD_JOB_ID")
        variables[variable + "_GIVEN"] =
          variables[variable + "_GIVEN"] == nil
          ? nil : .map(["value": .string("$UNSET_BUILD_JOB_ID"), "expand": .bool(false)])
        definition["variables"] = .map(variables)
        pipeline.configuration[job] = .map(definition)
        let publish = try #require(
          try pipeline.runScript(of: job).calls.first { $0.first == "publish" })
        let flag = variable == "RELEASE_LINKER_JOB_ID" ? "--job-id" : "--artifacts-job"
        #expect(publish.value(after: flag) == "", "\(file) \(variable): \(publish)")
      }
    }
  }

  @Test func templateDefaultsCallPublishWithTheReportsOnly() throws {
    let pipeline = try CIPipeline.load("ci-templates/release-linker.yml")
    let run = try pipeline.runScript(of: ".release-linker")
    #expect(
      run.calls == [
        ["--version"],
        ["publish", "--report", "release-linker.json", "--dotenv", "release-linker.env"],
      ])
  }

  @Test func theMatrixExampleBuildsEachPlatformAsItsOwnJobWritingItsManifest() throws {
    let pipeline = try CIPipeline.load("ci-templates/examples/matrix.gitlab-ci.yml")
    let builds = try pipeline.needs(of: "release-links")
    #expect(
      builds == ["build: [linux-amd64]", "build: [darwin-arm64]", "build: [windows-amd64]"])
    var manifests: [String] = []
    for build in builds {
      let scans = try pipeline.runScript(of: build).calls.filter { $0.first == "scan" }
      #expect(scans.count == 1, "\(build): \(scans)")
      manifests += scans.compactMap { $0.value(after: "--manifest") }
    }
    #expect(
      manifests == [
        "manifests/linux-amd64.json", "manifests/darwin-arm64.json", "manifests/windows-amd64.json",
      ])
    let publish = try #require(
      try pipeline.runScript(of: "release-links").calls.first { $0.first == "publish" })
    #expect(publish.value(after: "--manifest") == "manifests/*.json")
    #expect(publish.value(after: "--order") == "name")
    // The manifests the release job reads are among what the build jobs keep.
    let kept = pipeline.resolvedJob(builds[0])["artifacts"]?.map?["paths"]?.list ?? []
    #expect(kept.contains { $0.string == "manifests/" })
  }

  @Test func templateVariablesForSeveralJobsBecomeRepeatedFlags() throws {
    var pipeline = try CIPipeline.load("ci-templates/release-linker.yml")
    var job = pipeline.resolvedJob(".release-linker")
    var variables = job["variables"]?.map ?? [:]
    variables["RELEASE_LINKER_ARTIFACTS_JOB"] = .string("11 12")
    variables["RELEASE_LINKER_MANIFESTS"] = .string("m/*.json extra/*.json")
    variables["RELEASE_LINKER_PRUNE"] = .string("true")
    variables["RELEASE_LINKER_PRUNE_SCOPE"] = .string("/linux/** /docs/**")
    variables["RELEASE_LINKER_PRUNE_FOREIGN"] = .string("true")
    variables["RELEASE_LINKER_ORDER"] = .string("path")
    job["variables"] = .map(variables)
    pipeline.configuration[".release-linker"] = .map(job)
    let publish = try #require(
      try pipeline.runScript(of: ".release-linker").calls.first { $0.first == "publish" })
    func values(_ flag: String) -> [String] {
      publish.indices.dropLast().filter { publish[$0] == flag }.map { publish[$0 + 1] }
    }
    #expect(values("--artifacts-job") == ["11", "12"])
    #expect(values("--manifest") == ["m/*.json", "extra/*.json"])
    #expect(values("--prune-scope") == ["/linux/**", "/docs/**"])
    #expect(values("--order") == ["path"])
    #expect(publish.contains("--prune") && publish.contains("--prune-foreign"))
  }

  @Test func componentInputsAreDeclaredAndUsed() throws {
    let component = try CIComponent.load("templates/release-linker/template.yml")
    let declared = Set(component.inputs.keys)
    let used = component.usedInputs
    #expect(
      used.subtracting(declared).isEmpty,
      "used but not declared: \(used.subtracting(declared).sorted())")
    #expect(
      declared.subtracting(used).isEmpty,
      "declared but never used: \(declared.subtracting(used).sorted())")
    for (name, spec) in component.inputs {
      let map = spec.map ?? [:]
      #expect(map["description"]?.string?.isEmpty == false, "input \(name) has no description")
      let defaultValue = try #require(map["default"], "input \(name) has no default")
      switch map["type"]?.string ?? "string" {
      case "boolean": #expect(defaultValue.bool != nil, "input \(name): default is not a boolean")
      case "array": #expect(defaultValue.list != nil, "input \(name): default is not an array")
      case "number": #expect(defaultValue.int != nil, "input \(name): default is not a number")
      default: #expect(defaultValue.string != nil, "input \(name): default is not a string")
      }
      if let options = map["options"]?.list {
        #expect(options.contains(defaultValue), "input \(name): default is not one of its options")
      }
    }
  }

  @Test func examplesPassOnlyDeclaredComponentInputs() throws {
    let component = try CIComponent.load("templates/release-linker/template.yml")
    for file in Self.files where file.hasPrefix("ci-templates/examples/") {
      let document = try CIRepository.parse(file)
      for include in document.map?["include"]?.list ?? [] {
        guard include.map?["component"] != nil else { continue }
        let given = Set(include.map?["inputs"]?.map?.keys.map { $0 } ?? [])
        #expect(
          given.subtracting(component.inputs.keys).isEmpty,
          "\(file) passes inputs the component does not declare: \(given.subtracting(component.inputs.keys).sorted())"
        )
      }
    }
  }
}
