/// The API client is the release publishing reads and writes.
extension ReleaseLinksClient: ReleaseAccess {
  public func readRelease() throws -> ReleaseSnapshot? { try release() }

  public func listLinks() throws -> [ReleaseLink] { try list() }

  public func createLink(_ fields: LinkFields) throws -> ReleaseLink { try create(fields) }

  public func updateLink(id: Int, _ fields: LinkFields) throws -> ReleaseLink {
    try update(id: id, fields)
  }

  public func deleteLink(id: Int) throws -> ReleaseLink { try delete(id: id) }
}
