/// SHA-256 (FIPS 180-4), computed incrementally while an asset streams past.
///
/// Pure Swift so the core needs neither Foundation nor a crypto package; it works on raw buffers and
/// unrolls the rounds, so hashing keeps up with decompression.
public struct SHA256: Sendable {
  private var h0: UInt32 = 0x6a09_e667
  private var h1: UInt32 = 0xbb67_ae85
  private var h2: UInt32 = 0x3c6e_f372
  private var h3: UInt32 = 0xa54f_f53a
  private var h4: UInt32 = 0x510e_527f
  private var h5: UInt32 = 0x9b05_688c
  private var h6: UInt32 = 0x1f83_d9ab
  private var h7: UInt32 = 0x5be0_cd19
  /// Bytes of an incomplete block carried over to the next update.
  private var pending: [UInt8] = []
  private var byteCount: UInt64 = 0

  public init() {
    pending.reserveCapacity(64)
  }

  /// Hashes `bytes` in one go and returns the lowercase hex digest.
  public static func hexDigest(_ bytes: some Sequence<UInt8>) -> String {
    var hasher = SHA256()
    hasher.update(Array(bytes))
    return hasher.finalizeHex()
  }

  /// Adds bytes to the message.
  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// Adds bytes to the message without copying them.
  public mutating func update(_ buffer: UnsafeRawBufferPointer) {
    guard var base = buffer.baseAddress, !buffer.isEmpty else { return }
    var remaining = buffer.count
    byteCount &+= UInt64(remaining)
    if !pending.isEmpty {
      let take = min(64 - pending.count, remaining)
      pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
      base += take
      remaining -= take
      if pending.count < 64 { return }
      let block = pending
      block.withUnsafeBytes { compress($0.baseAddress.unsafelyUnwrapped) }
      pending.removeAll(keepingCapacity: true)
    }
    while remaining >= 64 {
      compress(UnsafeRawPointer(base))
      base += 64
      remaining -= 64
    }
    if remaining > 0 {
      pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: remaining))
    }
  }

  /// Finishes the message and returns the 32-byte digest.
  public mutating func finalize() -> [UInt8] {
    let bitLength = byteCount &* 8
    var tail = pending
    tail.append(0x80)
    while tail.count % 64 != 56 { tail.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) {
      tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
    }
    tail.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        compress(buffer.baseAddress.unsafelyUnwrapped + offset)
        offset += 64
      }
    }
    pending.removeAll()
    var digest: [UInt8] = []
    digest.reserveCapacity(32)
    for word in [h0, h1, h2, h3, h4, h5, h6, h7] {
      digest.append(UInt8(truncatingIfNeeded: word >> 24))
      digest.append(UInt8(truncatingIfNeeded: word >> 16))
      digest.append(UInt8(truncatingIfNeeded: word >> 8))
      digest.append(UInt8(truncatingIfNeeded: word))
    }
    return digest
  }

  /// Finishes the message and returns the digest as 64 lowercase hex digits.
  public mutating func finalizeHex() -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in finalize() {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  @inline(__always)
  private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x >> n) | (x << (32 &- n))
  }

  /// One round, written so eight consecutive calls rotate the roles of the working variables instead
  /// of moving their values.
  @inline(__always)
  private static func round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32,
    _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
  ) {
    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
    let choice = (e & f) ^ (~e & g)
    let t1 = h &+ s1 &+ choice &+ kw
    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
    let majority = (a & b) ^ (a & c) ^ (b & c)
    d &+= t1
    h = t1 &+ s0 &+ majority
  }

  private mutating func compress(_ block: UnsafeRawPointer) {
    Self.roundConstants.withUnsafeBufferPointer { constants in
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
        let k = constants.baseAddress.unsafelyUnwrapped
        let w = schedule.baseAddress.unsafelyUnwrapped
        for index in 0..<16 {
          w[index] = UInt32(
            bigEndian: block.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
        }
        for index in 16..<64 {
          let x = w[index &- 15]
          let y = w[index &- 2]
          let sigma0 = Self.rotr(x, 7) ^ Self.rotr(x, 18) ^ (x >> 3)
          let sigma1 = Self.rotr(y, 17) ^ Self.rotr(y, 19) ^ (y >> 10)
          w[index] = w[index &- 16] &+ sigma0 &+ w[index &- 7] &+ sigma1
        }
        var a = h0
        var b = h1
        var c = h2
        var d = h3
        var e = h4
        var f = h5
        var g = h6
        var h = h7
        var index = 0
        while index < 64 {
          Self.round(a, b, c, &d, e, f, g, &h, k[index] &+ w[index])
          Self.round(h, a, b, &c, d, e, f, &g, k[index &+ 1] &+ w[index &+ 1])
          Self.round(g, h, a, &b, c, d, e, &f, k[index &+ 2] &+ w[index &+ 2])
          Self.round(f, g, h, &a, b, c, d, &e, k[index &+ 3] &+ w[index &+ 3])
          Self.round(e, f, g, &h, a, b, c, &d, k[index &+ 4] &+ w[index &+ 4])
          Self.round(d, e, f, &g, h, a, b, &c, k[index &+ 5] &+ w[index &+ 5])
          Self.round(c, d, e, &f, g, h, a, &b, k[index &+ 6] &+ w[index &+ 6])
          Self.round(b, c, d, &e, f, g, h, &a, k[index &+ 7] &+ w[index &+ 7])
          index &+= 8
        }
        h0 &+= a
        h1 &+= b
        h2 &+= c
        h3 &+= d
        h4 &+= e
        h5 &+= f
        h6 &+= g
        h7 &+= h
      }
    }
  }
}
