import Testing

@testable import ReleaseLinkerCore

private let project = "https://gitlab.example.com/group/app"

private func link(_ name: String, path: String? = nil, url: String? = nil) -> ReleaseLink {
  let url = url ?? "\(project)/-/jobs/9/artifacts/raw/\(name)"
  return ReleaseLink(
    id: 1, name: name, url: url,
    directAssetURL: path.map { "\(project)/-/releases/v1/downloads\($0)" } ?? url,
    linkType: .other)
}

private func scope(_ patterns: [String] = [], foreign: Bool = false) throws -> PruneScope {
  try PruneScope(
    patterns: patterns, pruneForeign: foreign,
    configuration: Configuration(
      input: ConfigurationInput(),
      environment: Environment([
        "CI_PROJECT_URL": project, "CI_API_V4_URL": "https://gitlab.example.com/api/v4",
        "CI_PROJECT_ID": "24", "CI_PROJECT_PATH": "group/app",
      ])))
}

@Suite struct PruneScopeTests {
  @Test func withoutPatternsEveryLinkOfTheProjectMayGo() throws {
    #expect(try scope().reasonToKeep(link("a", path: "/bin/a")) == nil)
  }

  @Test func patternsMatchThePathWithOrWithoutItsLeadingSlash() throws {
    for pattern in ["/linux/**", "linux/**"] {
      let linux = try scope([pattern])
      #expect(linux.reasonToKeep(link("a", path: "/linux/a")) == nil)
      #expect(linux.reasonToKeep(link("a", path: "/linux/sub/a")) == nil)
      #expect(linux.reasonToKeep(link("b", path: "/windows/b.exe")) == .outsideScope)
    }
  }

  @Test func aLinkWithoutAPathIsMatchedByItsName() throws {
    let docs = try scope(["docs-*"])
    #expect(docs.reasonToKeep(link("docs-1.pdf")) == nil)
    #expect(docs.reasonToKeep(link("notes.pdf")) == .outsideScope)
    // With a path, the path decides, not the name.
    #expect(docs.reasonToKeep(link("docs-2.pdf", path: "/pdf/docs-2.pdf")) == .outsideScope)
  }

  @Test func anyOfSeveralPatternsWillDo() throws {
    let both = try scope(["/linux/**", "/macos/**"])
    #expect(both.reasonToKeep(link("a", path: "/macos/a")) == nil)
    #expect(both.reasonToKeep(link("a", path: "/bsd/a")) == .outsideScope)
  }

  @Test func linksPointingOutsideTheProjectStayUnlessPruneForeign() throws {
    let website = link("Website", url: "https://example.com/docs")
    let sibling = link(
      "x", url: "https://gitlab.example.com/group/app-fork/-/jobs/1/artifacts/raw/x")
    #expect(try scope().reasonToKeep(website) == .foreign)
    #expect(try scope().reasonToKeep(sibling) == .foreign)
    #expect(try scope(foreign: true).reasonToKeep(website) == nil)
    // Out of scope wins: --prune-foreign widens only what is inside the scope.
    #expect(try scope(["/linux/**"], foreign: true).reasonToKeep(website) == .outsideScope)
  }

  @Test func theProjectsAPIURLsPointIntoIt() throws {
    for url in [
      "https://gitlab.example.com/api/v4/projects/24/packages/generic/app/1.0/app.tgz",
      "https://gitlab.example.com/api/v4/projects/group%2Fapp/packages/generic/app/1.0/app.tgz",
    ] {
      #expect(try scope().reasonToKeep(link("app.tgz", url: url)) == nil, "\(url)")
    }
    let other = "https://gitlab.example.com/api/v4/projects/25/packages/generic/app/1.0/app.tgz"
    #expect(try scope().reasonToKeep(link("app.tgz", url: other)) == .foreign)
  }

  @Test func withoutAProjectURLOnlyPruneForeignWorks() throws {
    let bare = Configuration(input: ConfigurationInput(), environment: Environment([:]))
    #expect(throws: UsageError.self) {
      try PruneScope(patterns: [], pruneForeign: false, configuration: bare)
    }
    let anywhere = try PruneScope(patterns: [], pruneForeign: true, configuration: bare)
    #expect(anywhere.reasonToKeep(link("a", url: "https://example.com/a")) == nil)
  }

  @Test func thePlanSaysWhyEachUnmatchedLinkStays() throws {
    let existing = [
      ReleaseLink(
        id: 1, name: "a", url: "\(project)/-/jobs/9/artifacts/raw/linux/a",
        directAssetURL: "\(project)/-/releases/v1/downloads/linux/a", linkType: .other),
      ReleaseLink(
        id: 2, name: "b", url: "\(project)/-/jobs/9/artifacts/raw/windows/b",
        directAssetURL: "\(project)/-/releases/v1/downloads/windows/b", linkType: .other),
      ReleaseLink(
        id: 3, name: "Website", url: "https://example.com", directAssetURL: "https://example.com",
        linkType: .other),
    ]
    let plan = ReleasePlan(
      desired: [], existing: existing, prune: true, scope: try scope(["/linux/**", "Website"]))
    #expect(plan.steps.map { $0.existing?.id } == [1])
    #expect(plan.steps.map(\.action) == [.delete])
    #expect(plan.kept.map(\.id) == [2, 3])
    #expect(plan.keptBecause == [.outsideScope, .foreign])
    let unpruned = ReleasePlan(desired: [], existing: existing, prune: false)
    #expect(unpruned.keptBecause == [.notPruning, .notPruning, .notPruning])
  }
}
