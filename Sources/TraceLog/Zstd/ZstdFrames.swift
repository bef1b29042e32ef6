import CZstd

/// Frame-level facts about zstd data: magic numbers, frame sizes,
/// content sizes, and decompression into a reusable buffer.
public enum ZstdFrames {
    /// The magic number of a zstd frame, as its four little-endian bytes.
    public static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
    /// The largest segment content the reader accepts (a bound on the
    /// memory an absurd declared size could make it allocate).
    public static let maximumContentSize = 1 << 30

    /// What starts at an offset of the data.
    public enum FrameStart {
        /// A zstd frame.
        case zstd
        /// A skippable frame (magic 0x184D2A50…5F) of this total size.
        case skippable(size: Int)
        /// Something else.
        case other
    }

    /// Classifies the bytes at the start of `data`.
    public static func frameStart(_ data: UnsafeRawBufferPointer) -> FrameStart {
        guard data.count >= 4 else { return .other }
        if data[0] == 0x28, data[1] == 0xB5, data[2] == 0x2F, data[3] == 0xFD { return .zstd }
        if data[0] & 0xF0 == 0x50, data[1] == 0x2A, data[2] == 0x4D, data[3] == 0x18, data.count >= 8 {
            let size = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            return .skippable(size: 8 + Int(size))
        }
        return .other
    }

    /// The compressed size of the zstd frame at the start of `data`.
    public static func compressedSize(_ data: UnsafeRawBufferPointer) throws(ZstdError) -> Int {
        try ZstdError.check(ZSTD_findFrameCompressedSize(data.baseAddress, data.count))
    }

    /// The declared content size of the frame, or nil when not declared.
    public static func contentSize(_ frame: UnsafeRawBufferPointer) -> UInt64? {
        let size = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        if size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR { return nil }
        return size
    }

    /// Offset of the next zstd magic number in `data` at or after `start`.
    public static func nextMagic(in data: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = max(start, 0)
        while i + 4 <= data.count {
            if data[i] == 0x28, data[i + 1] == 0xB5, data[i + 2] == 0x2F, data[i + 3] == 0xFD { return i }
            i += 1
        }
        return nil
    }
}

/// Decompresses single frames, verifying their checksums.
public final class ZstdDecompressor {
    private let context: OpaquePointer
    private let output = RecordBuffer(capacity: 1 << 16)

    /// Creates a decompressor.
    public init() { context = ZSTD_createDCtx()! }
    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses `frame` (exactly one frame) whose declared content size
    /// is `contentSize`, and passes the content (valid only inside `body`)
    /// to `body`.
    public func decompress<R>(
        _ frame: UnsafeRawBufferPointer, contentSize: Int, _ body: (UnsafeRawBufferPointer) -> R
    ) throws(ZstdError) -> R {
        output.removeAll()
        output.reserve(contentSize)
        let written = try ZstdError.check(
            ZSTD_decompressDCtx(context, output.base, max(contentSize, 0), frame.baseAddress, frame.count))
        output._count = written
        return withExtendedLifetime(self) { body(output.bytes) }
    }

    /// Decompresses `frame` and returns its content.
    public func decompress(_ frame: UnsafeRawBufferPointer, contentSize: Int) throws(ZstdError) -> [UInt8] {
        try decompress(frame, contentSize: contentSize) { Array($0) }
    }
}
