import CZstd

/// Compresses segment content into one zstd frame carrying its content
/// size and a content checksum, so `zstd -t` verifies every segment.
public final class ZstdCompressor {
    private let context: OpaquePointer
    private let output: RecordBuffer

    /// Creates a compressor at `level` (1 is the recorder's default: fast,
    /// and level 3 was measured 5× slower for 3% more ratio).
    public init(level: Int32 = 1) {
        context = ZSTD_createCCtx()!
        output = RecordBuffer(capacity: 1 << 16)
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 1)
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `content` into one frame and passes the frame's bytes
    /// (valid only inside `body`) to `body`.
    public func compress<R>(_ content: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) throws(ZstdError) -> R {
        let bound = ZSTD_compressBound(content.count)
        output.removeAll()
        output.reserve(bound)
        let written = try ZstdError.check(
            ZSTD_compress2(context, output.base, bound, content.baseAddress, content.count))
        output._count = written
        return withExtendedLifetime(self) { body(output.bytes) }
    }

    /// Compresses `content` into one frame and returns its bytes.
    public func compress(_ content: UnsafeRawBufferPointer) throws(ZstdError) -> [UInt8] {
        try compress(content) { Array($0) }
    }
}
