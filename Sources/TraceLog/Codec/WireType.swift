/// How a field's value is encoded. A field starts with a tag varint,
/// `fieldNumber << 3 | wireType`, so a reader can skip fields it does not
/// know.
@usableFromInline package enum WireType: UInt8, Sendable {
    /// An unsigned varint (also booleans: 0 or 1).
    case varint = 0
    /// A zigzag-encoded signed varint.
    case signedVarint = 1
    /// 8 bytes: an IEEE 754 double, little-endian.
    case double = 2
    /// A varint index into the segment's string table.
    case stringReference = 3
    /// A varint byte count followed by that many bytes of UTF-8.
    case inlineString = 4
    /// Two string-table indexes (a key and a value): one label.
    case label = 5

    /// The tag that introduces field `number` with this wire type.
    @inlinable
    package func tag(_ number: UInt64) -> UInt64 { number << 3 | UInt64(rawValue) }
}
