/// One call of the Release Links API, as a `links` subcommand asks for it.
public enum LinksRequest: Sendable, Equatable {
  case list
  case get(id: Int)
  case create(LinkFields)
  /// Fields not given keep their values.
  case update(id: Int, LinkFields)
  case delete(id: Int)
}

/// `release-linker links …`: the five Release Links API calls on the configured release.
public enum LinksJob {
  /// Checks the values, makes the call and prints GitLab's JSON (`json`) or a readable form.
  public static func run(
    _ request: LinksRequest, configuration: Configuration, json: Bool, context: Context
  ) throws -> ExitStatus {
    switch request {
    case .create(let fields), .update(_, let fields):
      // GitLab would refuse it after the round trip, in fewer words.
      if let path = fields.directAssetPath, let problem = DirectAssetPath.problem(with: path) {
        throw UsageError(
          "--direct-asset-path '\(path)' is not a path GitLab accepts: \(problem). A valid one "
            + "looks like /bin/hello-1.0.deb.")
      }
    case .list, .get, .delete:
      break
    }
    let project = try configuration.project().value
    let tag = try configuration.tag().value
    let connection = try GitLabConnection.make(configuration: configuration, context: context)
    let client = ReleaseLinksClient(connection: connection, project: project, tag: tag)
    let sink = context.sink

    func show(_ document: APIDocument<ReleaseLink>, _ heading: String?) {
      if json {
        sink.standardOutput(document.json + "\n")
      } else {
        sink.standardOutput((heading.map { $0 + "\n" } ?? "") + LinkText.describe(document.value))
      }
    }
    switch request {
    case .list:
      let document = try client.listDocument()
      if json {
        sink.standardOutput(document.json + "\n")
      } else if document.value.isEmpty {
        sink.standardOutput("The release '\(tag)' has no links.\n")
      } else {
        let count = document.value.count
        let width = OutputWidth.columns(environment: context.environment, sink: sink)
        sink.standardOutput(
          LinkText.table(document.value, width: width)
            + "\(count) link\(count == 1 ? "" : "s") in release '\(tag)'.\n")
      }
    case .get(let id):
      show(try client.getDocument(id: id), nil)
    case .create(let fields):
      let document = try client.createDocument(fields)
      show(document, "Created link \(document.value.id) in release '\(tag)':")
    case .update(let id, let fields):
      let document = try update(id: id, fields, client: client)
      show(document, "Updated link \(document.value.id) in release '\(tag)':")
    case .delete(let id):
      let document = try client.deleteDocument(id: id)
      show(document, "Deleted link \(document.value.id) from release '\(tag)':")
    }
    return .success
  }

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
