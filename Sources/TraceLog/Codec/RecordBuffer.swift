/// A growable byte buffer with manual memory management, used on the
/// recorder's hot path: appends are bounds-checked against capacity only,
/// and growth (doubling) happens rarely, so steady-state appends allocate
/// nothing.
@usableFromInline package final class RecordBuffer {
    @usableFromInline @exclusivity(unchecked) var base: UnsafeMutableRawPointer
    @usableFromInline @exclusivity(unchecked) var capacity: Int
    @usableFromInline @exclusivity(unchecked) var _count: Int
    /// Number of bytes written.
    @inlinable package var count: Int { _count }

    /// Creates an empty buffer able to hold `capacity` bytes before growing.
    @usableFromInline package init(capacity: Int) {
        let capacity = max(capacity, 64)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        self.capacity = capacity
        self._count = 0
    }

    deinit { base.deallocate() }

    /// Forgets the contents, keeping the memory.
    @inlinable
    package func removeAll() { _count = 0 }

    /// The written bytes, valid until the next mutation.
    @usableFromInline package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for `additional` more bytes.
    @inlinable @inline(__always)
    package func reserve(_ additional: Int) {
        if count + additional > capacity { grow(to: count + additional) }
    }

    @usableFromInline
    func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends one byte.
    @inlinable @inline(__always)
    package func append(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        _count += 1
    }

    /// Appends raw bytes.
    @inlinable
    package func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        _count += bytes.count
    }

    /// Appends an unsigned LEB128 varint.
    @inlinable @inline(__always)
    package func appendVarint(_ value: UInt64) {
        reserve(10)
        var v = value
        var p = base + count
        while v >= 0x80 {
            p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, as: UInt8.self)
            p += 1
            v >>= 7
        }
        p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
        _count = p - base + 1
    }

    /// Appends a signed integer as a zigzag varint.
    @inlinable @inline(__always)
    package func appendSignedVarint(_ value: Int64) {
        appendVarint(Varint.zigzag(value))
    }

    /// Appends the IEEE 754 bit pattern of `value`, little-endian.
    @inlinable @inline(__always)
    package func appendDouble(_ value: Double) {
        reserve(8)
        (base + count).storeBytes(of: value.bitPattern.littleEndian, as: UInt64.self)
        _count += 8
    }

    /// Appends the UTF-8 bytes of `string`.
    @inlinable
    package func appendUTF8(_ string: String) {
        var s = string
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Moves bytes `from..<count` forward by `distance` bytes, growing
    /// `count`; used to widen a length prefix after the body is written.
    @inlinable
    package func shiftTail(from start: Int, by distance: Int) {
        reserve(distance)
        (base + start + distance).copyMemory(from: base + start, byteCount: count - start)
        _count += distance
    }

    /// Writes `value` as a varint at `offset` (which must have room for it).
    @inlinable
    package func storeVarint(_ value: UInt64, at offset: Int) {
        var v = value
        var p = base + offset
        while v >= 0x80 {
            p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, as: UInt8.self)
            p += 1
            v >>= 7
        }
        p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
    }
}

extension RecordBuffer: @unchecked Sendable {}
