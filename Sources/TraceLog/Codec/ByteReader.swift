/// Reads varints, doubles and byte runs from a buffer, throwing on overrun.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var isAtEnd: Bool { position >= bytes.count }
    var remaining: Int { bytes.count - position }

    mutating func readByte() throws(SegmentDecodingError) -> UInt8 {
        guard position < bytes.count else { throw .truncated("byte", at: position) }
        defer { position += 1 }
        return bytes[position]
    }

    @inline(__always)
    mutating func readVarint() throws(SegmentDecodingError) -> UInt64 {
        // Most varints of a log are one byte (small deltas, tags, keys).
        if position < bytes.count {
            let byte = bytes[position]
            if byte < 0x80 {
                position += 1
                return UInt64(byte)
            }
        }
        return try readLongVarint()
    }

    /// A varint of more than one byte, or a truncated one.
    mutating func readLongVarint() throws(SegmentDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while true {
            guard position < bytes.count else { throw .truncated("varint", at: start) }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { throw .malformed("varint overflows 64 bits", at: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw .malformed("varint longer than 10 bytes", at: start) }
        }
    }

    mutating func readSignedVarint() throws(SegmentDecodingError) -> Int64 {
        Varint.unzigzag(try readVarint())
    }

    mutating func readDouble() throws(SegmentDecodingError) -> Double {
        guard remaining >= 8 else { throw .truncated("double", at: position) }
        let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        position += 8
        return Double(bitPattern: bits)
    }

    /// Reads `count` bytes, refusing counts beyond what is left (so an
    /// absurd length never causes an allocation).
    mutating func readBytes(_ count: UInt64) throws(SegmentDecodingError) -> UnsafeRawBufferPointer {
        guard count <= UInt64(remaining) else {
            throw .malformed("length \(count) runs past the end (\(remaining) bytes left)", at: position)
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<position + Int(count)])
        position += Int(count)
        return slice
    }

    mutating func readString(_ count: UInt64) throws(SegmentDecodingError) -> String {
        let raw = try readBytes(count)
        return String(decoding: raw, as: UTF8.self)
    }
}
