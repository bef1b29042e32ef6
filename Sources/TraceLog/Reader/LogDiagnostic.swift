/// A problem found while reading a log: where it is and what was done
/// about it. Reading always goes on with everything that is intact.
public struct LogDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Sendable {
        /// Data is lost or suspicious but expected after a crash (a torn
        /// final frame) or harmless (unknown record kinds).
        case warning
        /// Data that should be intact is not (a damaged segment).
        case error
    }

    /// How bad it is.
    public var severity: Severity
    /// The file.
    public var file: String
    /// The frame's 0-based position in the file, if the problem is in one.
    public var segment: Int?
    /// Byte offset in the file.
    public var byteOffset: Int?
    /// The record's 0-based position in the segment, if known.
    public var record: Int?
    /// What happened and what was done.
    public var message: String
    /// Whether it is a conflict: two different segments claim one place in
    /// a run (the same run id, recorder and segment sequence), e.g. two
    /// different logs that share a run id. Every command exits non-zero
    /// after one.
    public var isConflict = false
    /// Whether it is a gap: segments of a run (between two it has, or before
    /// its first) that no input holds, their events lost. `verify` fails on
    /// one; analysis warns and goes on.
    public var isGap = false

    /// Creates a diagnostic.
    public init(
        severity: Severity, file: String, segment: Int? = nil, byteOffset: Int? = nil, record: Int? = nil,
        message: String
    ) {
        self.severity = severity
        self.file = file
        self.segment = segment
        self.byteOffset = byteOffset
        self.record = record
        self.message = message
    }

    /// Whether it says a whole input could not be read (missing,
    /// unreadable, empty: an error about the file, not about a place in
    /// it). Every command exits non-zero after such an input.
    public var isUnreadableInput: Bool { severity == .error && segment == nil && byteOffset == nil && record == nil }

    /// `FILE: segment N (byte B), record R: severity: message`.
    public var description: String {
        var location = file
        if let segment {
            location += ": segment \(segment)"
            if let byteOffset { location += " (byte \(byteOffset))" }
        } else if let byteOffset {
            location += ": byte \(byteOffset)"
        }
        if let record { location += ", record \(record)" }
        return "\(location): \(severity.rawValue): \(message)"
    }
}
