/// `GET /version` and `GET /metadata` (`lib/api/metadata.rb`): the version the emulator answers as.
/// The routes `authenticate!` without allowing job tokens, so a job token (or no token) gets 401.
enum MetadataRoutes {
  static func show(_ context: RequestContext, _ state: EmulatorState) throws(Refusal)
    -> EmulatorResponse
  {
    let caller = try Authenticator.authenticate(
      context.request, parameters: context.parameters, state: state)
    guard case .user = caller else { throw Refusal(.unauthorized) }
    return .json(
      200,
      .object([
        ("version", .string(state.version.description)),
        ("revision", .string("emulator")),
        (
          "kas",
          .object([
            ("enabled", .bool(false)), ("externalUrl", .null), ("externalK8sProxyUrl", .null),
            ("version", .null),
          ])
        ),
        ("enterprise", .bool(false)),
      ]))
  }
}
