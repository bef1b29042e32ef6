/// A short name (at most 24 bytes) packed into three little-endian words,
/// zero-padded, with its length: compared and hashed in a few instructions
/// instead of byte by byte.
///
/// The length is part of the value, so a name that ends in zero bytes (an
/// unescaped `\u0000`) never equals a shorter one.
struct PackedName: Equatable, Sendable {
    /// The longest name that can be packed, in bytes.
    static let capacity = 24

    var word0: UInt64 = 0
    var word1: UInt64 = 0
    var word2: UInt64 = 0
    var count = 0

    /// The empty name.
    init() {}

    /// Packs `bytes[range]`; `nil` when it is longer than ``capacity``.
    ///
    /// When at least ``capacity`` bytes of `bytes` start at the range (as
    /// for a key in the middle of a line) the words are loaded directly and
    /// the bytes past the range masked off; otherwise the bytes are copied.
    @inline(__always)
    init?(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        let count = range.count
        guard count <= Self.capacity else { return nil }
        self.count = count
        guard count > 0, let base = bytes.baseAddress else { return }
        if bytes.count - range.lowerBound >= Self.capacity {
            let raw = UnsafeRawPointer(base + range.lowerBound)
            word0 = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & Self.lowBytes(count)
            word1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & Self.lowBytes(count - 8)
            word2 =
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) & Self.lowBytes(count - 16)
        } else {
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[range]))) }
            word0 = UInt64(littleEndian: words.0)
            word1 = UInt64(littleEndian: words.1)
            word2 = UInt64(littleEndian: words.2)
        }
    }

    /// Packs a name given as a string (for building lookup tables).
    init(_ name: String) {
        let bytes = Array(name.utf8)
        precondition(bytes.count <= Self.capacity, "name too long to pack")
        self = bytes.withUnsafeBufferPointer { PackedName($0, 0..<$0.count)! }
    }

    /// A mask of the low `count` bytes of a word (none for `count <= 0`).
    @inline(__always)
    static func lowBytes(_ count: Int) -> UInt64 {
        count <= 0 ? 0 : count >= 8 ? .max : (1 << UInt64(8 * count)) &- 1
    }

    /// A hash whose high bits depend on every byte and the length.
    @inline(__always)
    var hash: UInt64 {
        (word0 &+ word1 &* 0x9E37_79B9_7F4A_7C15 &+ word2 &* 0xC2B2_AE3D_27D4_EB4F &+ UInt64(count))
            &* 0xFF51_AFD7_ED55_8CCD
    }
}
