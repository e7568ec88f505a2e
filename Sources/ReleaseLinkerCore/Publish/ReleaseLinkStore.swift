/// The links of one release, as publishing reads and writes them.
///
/// ``ReleaseLinksClient`` provides this for a project and tag; tests may substitute a model.
public protocol ReleaseLinkStore: Sendable {
  /// Every link of the release, all pages.
  func listLinks() throws -> [ReleaseLink]
  /// Creates a link. Implementations must not blindly resend a create whose outcome is unknown: they
  /// throw, and publishing decides by re-reading the links.
  func createLink(_ fields: LinkFields) throws -> ReleaseLink
  /// Replaces the link's fields.
  func updateLink(id: Int, _ fields: LinkFields) throws -> ReleaseLink
  /// Deletes the link.
  func deleteLink(id: Int) throws -> ReleaseLink
}
