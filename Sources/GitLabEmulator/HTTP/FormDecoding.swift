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
      } else if var last = items.last, case .object = last, !contains(last, path: rest) {
        // Rack: `a[][x]=1&a[][y]=2` fills one element until a key repeats.
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

  /// Whether the nested keys of `path` are all present in `value` (an empty key ends the walk).
  private static func contains(_ value: JSONValue, path: ArraySlice<String>) -> Bool {
    guard let key = path.first, !key.isEmpty else { return true }
    guard let child = value[key] else { return false }
    return contains(child, path: path.dropFirst())
  }
}
