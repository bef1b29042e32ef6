/// LEB128 varints and zigzag encoding, as used throughout the log format.
@usableFromInline package enum Varint {
    /// Maps signed to unsigned so that small magnitudes stay small:
    /// 0 → 0, -1 → 1, 1 → 2, -2 → 3, …
    @inlinable
    package static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// Inverse of ``zigzag(_:)``.
    @inlinable
    package static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    /// Number of bytes `value` takes as a varint.
    @inlinable
    package static func length(of value: UInt64) -> Int {
        var v = value
        var n = 1
        while v >= 0x80 {
            v >>= 7
            n += 1
        }
        return n
    }
}
