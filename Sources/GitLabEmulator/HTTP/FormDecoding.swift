/// Reads `application/x-www-form-urlencoded` text (query strings and form bodies) into a parameter
/// object, nesting `a[b]` and `a[][b]` keys as Rack does.
enum FormDecoding {
  static func decode(_ text: String) -> JSONValue {
    var root: JSONValue = .object([])
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = PercentDecoding.decode(parts[0], plusAsSpace: true)
      let value = parts.count > 1 ? PercentDecoding.decode(parts[1], plusAsSpace: true) : ""
      let segments = keySegments(key)
      guard let first = segments.first, !first.isEmpty else { continue }
      insert(.string(value), into: &root, at: segments[...])
    }
    return root
  }

  /// `assets[links][][name]` → `["assets", "links", "", "name"]`.
  static func keySegments(_ key: String) -> [String] {
    guard let open = key.firstIndex(of: "["), key.hasSuffix("]") else { return [key] }
    var segments = [String(key[..<open])]
    var rest = key[open...]
    while rest.first == "[", let close = rest.firstIndex(of: "]") {
      segments.append(String(rest[rest.index(after: rest.startIndex)..<close]))
      rest = rest[rest.index(after: close)...]
    }
    return rest.isEmpty ? segments : [key]
  }

  private static func insert(
    _ value: JSONValue, into node: inout JSONValue, at segments: ArraySlice<String>
  ) {
    guard let first = segments.first else {
      node = value
      return
    }
    let rest = segments.dropFirst()
    if first.isEmpty {
      var items: [JSONValue]
      if case .array(let existing) = node { items = existing } else { items = [] }
      if rest.isEmpty {
        items.append(value)
      } else if let nextKey = rest.first, var last = items.last, case .object = last,
        last[nextKey] == nil || rest.count > 1 && !nextKey.isEmpty && isContainer(last[nextKey])
      {
        insert(value, into: &last, at: rest)
        items[items.count - 1] = last
      } else {
        var fresh: JSONValue = .object([])
        insert(value, into: &fresh, at: rest)
        items.append(fresh)
      }
      node = .array(items)
      return
    }
    var members: [(String, JSONValue)]
    if case .object(let existing) = node { members = existing } else { members = [] }
    if let position = members.firstIndex(where: { $0.0 == first }) {
      var child = members[position].1
      insert(value, into: &child, at: rest)
      members[position].1 = child
    } else {
      var child: JSONValue = rest.first == "" ? .array([]) : .object([])
      insert(value, into: &child, at: rest)
      members.append((first, child))
    }
    node = .object(members)
  }

  private static func isContainer(_ value: JSONValue?) -> Bool {
    switch value {
    case .object, .array: return true
    default: return false
    }
  }
}
