import CZstd

/// An error reported by libzstd.
public struct ZstdError: Error, Sendable, CustomStringConvertible {
    /// libzstd's name for the error.
    public var name: String
    /// libzstd's error code.
    public var code: Int

    init(code: Int) {
        self.code = code
        self.name = String(cString: ZSTD_getErrorName(code))
    }

    /// Whether `result` from a libzstd call is an error code.
    static func check(_ result: Int) throws(ZstdError) -> Int {
        if ZSTD_isError(result) != 0 { throw ZstdError(code: result) }
        return result
    }

    /// The error's name.
    public var description: String { name }
}
