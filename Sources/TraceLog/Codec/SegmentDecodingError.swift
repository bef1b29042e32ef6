/// Why a segment's content could not be decoded (wholly or from some
/// record on).
public enum SegmentDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The content does not start with the segment magic `ATRL`.
    case badMagic
    /// The segment was written by a newer format version than this reader knows.
    case unsupportedVersion(UInt64)
    /// The data ended inside a value.
    case truncated(String, at: Int)
    /// A value is not what the format allows.
    case malformed(String, at: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .badMagic:
            "segment content does not start with the magic bytes ATRL"
        case .unsupportedVersion(let v):
            "format version \(v) is newer than this reader (supports up to \(SegmentHeader.currentFormatVersion))"
        case .truncated(let what, let at):
            "content ends inside a \(what) at content byte \(at)"
        case .malformed(let what, let at):
            "\(what) at content byte \(at)"
        }
    }
}
