/// GitLab's `Releases::Link` entity: exactly `id`, `name`, `url`, `direct_asset_url`, `link_type`.
enum LinkEntity {
  static func render(_ link: EmulatedLink, project: ProjectRecord, tag: String, webURL: String)
    -> JSONValue
  {
    .object([
      ("id", .int(link.id)),
      ("name", .string(link.name)),
      ("url", .string(link.url)),
      (
        "direct_asset_url",
        .string(directAssetURL(link, project: project, tag: tag, webURL: webURL))
      ),
      ("link_type", .string(link.linkType)),
    ])
  }

  /// `url` when the link has no path, else the release's permanent download URL for that path.
  static func directAssetURL(
    _ link: EmulatedLink, project: ProjectRecord, tag: String, webURL: String
  ) -> String {
    guard let path = link.directAssetPath, !path.isEmpty else { return link.url }
    let relative = path.hasPrefix("/") ? String(path.dropFirst()) : path
    return ReleaseEntity.webURL(project: project, tag: tag, webURL: webURL) + "/downloads/"
      + relative
  }
}

/// GitLab's release entity, with the fields a release job reads.
enum ReleaseEntity {
  static func webURL(project: ProjectRecord, tag: String, webURL: String) -> String {
    "\(webURL)/\(project.path)/-/releases/\(PercentDecoding.escapeSegment(tag))"
  }

  static func render(_ release: ReleaseRecord, project: ProjectRecord, webURL: String) -> JSONValue
  {
    let links = release.links.reversed().map {
      LinkEntity.render($0, project: project, tag: release.tag, webURL: webURL)
    }
    let projectURL = "\(webURL)/\(project.path)"
    let escapedTag = PercentDecoding.escapeSegment(release.tag)
    let sources: [JSONValue] = ["zip", "tar.gz", "tar.bz2", "tar"].map { format in
      let name = project.path.split(separator: "/").last.map(String.init) ?? project.path
      let file = "\(name)-\(release.tag.replacingSlashes)"
      return .object([
        ("format", .string(format)),
        ("url", .string("\(projectURL)/-/archive/\(escapedTag)/\(file).\(format)")),
      ])
    }
    let time = JSONValue.string(Timestamps.iso8601(release.createdAt))
    let releasedAt = release.releasedAtMilliseconds ?? Int64(release.createdAt) * 1000
    let selfURL = ReleaseEntity.webURL(project: project, tag: release.tag, webURL: webURL)
    var members: [(String, JSONValue)] = [
      ("name", .string(release.name)),
      ("tag_name", .string(release.tag)),
      ("description", .string(release.description)),
      ("created_at", time),
      ("released_at", .string(Timestamps.iso8601(milliseconds: releasedAt))),
      ("upcoming_release", .bool(releasedAt > Int64(Timestamps.now()) * 1000)),
    ]
    // GitLab leaves the key out for a release without milestones.
    if !release.milestones.isEmpty {
      members.append(
        (
          "milestones",
          .array(
            release.milestones.compactMap { title in
              project.milestones.first { $0.title == title }.map {
                milestone(
                  $0, project: project, projectURL: projectURL, createdAt: release.createdAt)
              }
            })
        ))
    }
    members += [
      (
        "assets",
        .object([
          ("count", .int(links.count + sources.count)),
          ("sources", .array(sources)),
          ("links", .array(links)),
        ])
      ),
      ("evidences", .array([])),
      ("_links", .object([("self", .string(selfURL))])),
    ]
    return .object(members)
  }

  /// GitLab's `MilestoneWithStats` entity, with the fields a client reads.
  static func milestone(
    _ milestone: MilestoneRecord, project: ProjectRecord, projectURL: String, createdAt: Int
  ) -> JSONValue {
    let time = JSONValue.string(Timestamps.iso8601(createdAt))
    return .object([
      ("id", .int(milestone.id)),
      ("iid", .int(milestone.iid)),
      ("project_id", .int(project.id)),
      ("title", .string(milestone.title)),
      ("description", .string("")),
      ("state", .string("active")),
      ("created_at", time),
      ("updated_at", time),
      ("due_date", .null),
      ("start_date", .null),
      ("web_url", .string("\(projectURL)/-/milestones/\(milestone.iid)")),
      ("issue_stats", .object([("total", .int(0)), ("closed", .int(0))])),
    ])
  }
}

extension String {
  fileprivate var replacingSlashes: String {
    String(map { $0 == "/" ? "-" : $0 })
  }
}
