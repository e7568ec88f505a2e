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
    let selfURL = ReleaseEntity.webURL(project: project, tag: release.tag, webURL: webURL)
    return .object([
      ("name", .string(release.name)),
      ("tag_name", .string(release.tag)),
      ("description", .string(release.description)),
      ("created_at", time),
      ("released_at", time),
      ("upcoming_release", .bool(false)),
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
    ])
  }
}

extension String {
  fileprivate var replacingSlashes: String {
    String(map { $0 == "/" ? "-" : $0 })
  }
}
