/// The `links` commands' work that is more than one request.
public enum LinksJob {
  /// `links update`: fields not given keep their values. The link is read first when any of name,
  /// URL or type is missing, so that all three are sent (GitLab may reset an omitted type to other).
  public static func update(
    id: Int, _ changes: LinkFields, client: ReleaseLinksClient
  ) throws -> APIDocument<ReleaseLink> {
    var fields = changes
    if fields.name == nil || fields.url == nil || fields.linkType == nil {
      let current = try client.get(id: id)
      fields.name = fields.name ?? current.name
      fields.url = fields.url ?? current.url
      fields.linkType = fields.linkType ?? current.linkType
    }
    return try client.updateDocument(id: id, fields)
  }
}
