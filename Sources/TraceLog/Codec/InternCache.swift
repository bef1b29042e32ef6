/// A small direct-mapped cache from a string's raw representation (its two
/// machine words) to its string-table index in the open segment.
///
/// Two strings with the same raw words are equal: a small string holds its
/// bytes in those words, and a large one points at its storage object,
/// which the cache keeps alive by holding the string, so the address cannot
/// be reused for other contents while the entry exists. Equal strings with
/// different storage merely miss and fall back to the dictionary. Lookups
/// hash two integers instead of the string's bytes and allocate nothing.
@usableFromInline
struct InternCache: Sendable {
    @usableFromInline static let slotCount = 64

    @usableFromInline var keys: [UInt64]
    @usableFromInline var ids: [UInt32]
    /// Keeps the cached strings (and so their storage) alive.
    @usableFromInline var pins: [String?]

    @usableFromInline
    init() {
        keys = Array(repeating: 0, count: 2 * Self.slotCount)
        ids = Array(repeating: .max, count: Self.slotCount)
        pins = Array(repeating: nil, count: Self.slotCount)
    }

    @inlinable
    static func words(_ string: String) -> (UInt64, UInt64) {
        unsafeBitCast(string, to: (UInt64, UInt64).self)
    }

    @inlinable
    static func slot(_ words: (UInt64, UInt64)) -> Int {
        let mixed = (words.0 ^ (words.1 &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> 58)  // top 6 bits: 0..<64
    }

    /// The cached index of `string`, if present.
    @inlinable @inline(__always)
    func lookup(_ string: String) -> UInt32? {
        let w = Self.words(string)
        let slot = Self.slot(w)
        return keys.withUnsafeBufferPointer { k in
            k[2 &* slot] == w.0 && k[2 &* slot &+ 1] == w.1 ? ids.withUnsafeBufferPointer { $0[slot] } : nil
        }.flatMap { $0 == .max ? nil : $0 }
    }

    /// Remembers that `string` has index `id`.
    @usableFromInline
    mutating func insert(_ string: String, id: UInt32) {
        let w = Self.words(string)
        let slot = Self.slot(w)
        keys[2 * slot] = w.0
        keys[2 * slot + 1] = w.1
        ids[slot] = id
        pins[slot] = string
    }

    /// Forgets every entry (a new segment starts a new string table).
    @usableFromInline
    mutating func removeAll() {
        for i in 0..<Self.slotCount { ids[i] = .max; pins[i] = nil }
    }
}
