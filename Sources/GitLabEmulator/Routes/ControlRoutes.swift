/// The emulator's own routes for out-of-process users: counters and the links a release holds.
enum ControlRoutes {
  static func stats(_ context: RequestContext, _ state: EmulatorState) -> EmulatorResponse {
    var members: [(String, JSONValue)] = [
      ("requests", .int(state.stats.requests)),
      ("writes", .int(state.stats.writes)),
      ("connections", .int(state.stats.connections)),
      ("uploads", .int(state.stats.uploads)),
      ("uploaded_bytes", .int(state.stats.uploadedBytes)),
      ("package_files", .int(state.packages.files.count)),
    ]
    // Only a rate-limited emulator refuses requests.
    if state.rateLimiter != nil { members.append(("throttled", .int(state.stats.throttled))) }
    // Only an emulator given --random-faults injects them: every kind it may inject, zeros too.
    if let injector = state.randomFaults {
      let kinds = RandomFaultKind.allCases.filter { injector.rates.probability($0) > 0 }
      members.append(
        ("faults", .object(kinds.map { ($0.rawValue, .int(state.stats.faultsInjected[$0] ?? 0)) })))
    }
    return .json(200, .object(members))
  }

  /// Zeroes the counters, empties the request log and answers the counters.
  static func resetStats(_ context: RequestContext, _ state: inout EmulatorState)
    -> EmulatorResponse
  {
    state.stats = EmulatorStats()
    state.requestLog = []
    return stats(context, state)
  }

  /// Stops `--random-faults` (the counts stay readable in the stats) and answers the counters, so
  /// that a soak can check the end state and run a clean re-run without faults.
  static func stopRandomFaults(_ context: RequestContext, _ state: inout EmulatorState)
    -> EmulatorResponse
  {
    state.randomFaults?.isActive = false
    return stats(context, state)
  }

  static func links(_ context: RequestContext, _ state: EmulatorState) -> EmulatorResponse {
    let tag = context.path["tag_name"]
    guard let project = state.project(matching: context.path["id"]),
      let release = state.releases[ReleaseKey(projectID: project.id, tag: tag)]
    else { return .notFound }
    let links = release.links.map { link -> JSONValue in
      guard
        case .object(var members) = LinkEntity.render(
          link, project: project, tag: tag, webURL: state.webURL)
      else { return .null }
      members.append(("direct_asset_path", .optionalString(link.directAssetPath)))
      return .object(members)
    }
    return .json(200, .array(links))
  }

  /// Every package file of the project, hidden packages included, oldest first.
  static func packageFiles(_ context: RequestContext, _ state: EmulatorState) -> EmulatorResponse {
    guard let project = state.project(matching: context.path["id"]) else { return .notFound }
    let files = state.packages.files.compactMap { file -> JSONValue? in
      guard let package = state.packages.package(id: file.packageID, projectID: project.id),
        case .object(var members) = PackageEntities.file(file)
      else { return nil }
      members += [
        ("package_name", .string(package.name)), ("package_version", .string(package.version)),
        ("package_status", .string(package.status)),
      ]
      return .object(members)
    }
    return .json(200, .array(files))
  }
}
