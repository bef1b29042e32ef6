import TraceLog

/// Decodes lines of the JSON Lines interchange into events.
///
/// Each line is one JSON object; its `type` member selects the kind of event
/// and the other members its fields (see `docs/` and the design brief for
/// the names). Unknown members are ignored, whatever their value. The
/// decoder works on UTF-8 bytes directly and reuses its buffers between
/// lines, so keep one decoder per thread and feed it every line:
///
/// ```swift
/// var decoder = InterchangeDecoder()
/// for line in lines {
///     guard let decoded = try decoder.decode(line) else { continue }  // blank line
///     …
/// }
/// ```
///
/// Conversions:
/// - `t` (seconds, a JSON number) is converted from its decimal text exactly
///   to integer nanoseconds; digits below a nanosecond are rounded half to
///   even. `t_ns` is an integer number of nanoseconds (an integral number
///   such as `1.5e9` is accepted). When both are present, `t_ns` wins; both
///   are checked.
/// - Integer fields accept integral numbers (`812`, `812.0`, `8.12e2`);
///   a fractional value is an error.
/// - Number fields accept numbers (correctly rounded to `Double`), `null`
///   and the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
/// - String fields accept strings, and numbers as their JSON text (ids are
///   sometimes numbers). `error` and `arguments` accept any value: a string
///   as itself, anything else as its compact JSON text.
/// - `null` is the same as an absent member. When a member appears twice,
///   the last one wins.
public struct InterchangeDecoder: Sendable {
    /// The scanned members of the current line, kept for their capacity.
    private var members: [JSONMember] = []
    /// The buffer for unescaping strings, kept for its capacity.
    private var scratch: [UInt8] = []
    /// Strings of recent lines, kept for reuse.
    private var recentStrings = RecentStrings()

    /// Creates a decoder.
    public init() {}

    /// Whether `line` is empty or holds only JSON whitespace (space, tab,
    /// CR, LF): such lines decode to `nil`.
    public static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        JSONScanner.isBlank(line)
    }

    /// Decodes one line given as UTF-8 bytes, without its line terminator
    /// (a trailing `\n` or `\r\n` is accepted as whitespace).
    ///
    /// - Returns: the decoded line, or `nil` when the line is blank.
    /// - Throws: ``InterchangeError`` for malformed JSON, a missing or
    ///   unknown `type` (``InterchangeError/Reason/unknownType(_:)``, which
    ///   an importer may skip), or a field whose value is invalid.
    public mutating func decode(_ line: UnsafeBufferPointer<UInt8>) throws(InterchangeError) -> DecodedLine? {
        members.removeAll(keepingCapacity: true)
        var scanner = JSONScanner(line)
        guard try scanner.scanLine(into: &members) else { return nil }

        // The reader borrows the buffers for the line (moved, not copied).
        var reader = FieldReader(line, scratch: scratch, recentStrings: recentStrings)
        scratch = []
        recentStrings = RecentStrings.placeholder
        defer {
            scratch = reader.scratch
            recentStrings = reader.recentStrings
        }

        var typeMember: JSONMember?
        var seconds: Int64?
        var nanoseconds: Int64?
        var sender: Int64?
        var senderMember: JSONMember?
        for position in members.indices {
            if members[position].keyEscaped {
                members[position].field = reader.withKey(members[position]) { InterchangeField.named($0) }
            }
            let member = members[position]
            switch member.field {
            case .type: typeMember = member
            case .t: seconds = try reader.seconds(member, .t)
            case .tNs: nanoseconds = try reader.integer(member, .tNs)
            case .senderPID:
                sender = try reader.integer(member, .senderPID)
                senderMember = member
            default: break
            }
        }
        let kind = try Self.kind(of: typeMember, reader: &reader)
        let payload = try reader.payload(kind, members)
        if let sender, let senderMember, sender <= 0 || sender > Int64(Int32.max) {
            throw reader.invalid(senderMember, .senderPID, "expected a process id from 1 to \(Int32.max), got \(sender)")
        }
        return DecodedLine(timestamp: nanoseconds ?? seconds, payload: payload, senderPID: sender.map { Int32($0) })
    }

    /// Decodes one line given as raw UTF-8 bytes; see the `UnsafeBufferPointer<UInt8>` overload.
    public mutating func decode(_ line: UnsafeRawBufferPointer) throws(InterchangeError) -> DecodedLine? {
        try decode(line.bindMemory(to: UInt8.self))
    }

    /// Decodes one line given as UTF-8 bytes; see the `UnsafeBufferPointer<UInt8>` overload.
    public mutating func decode(_ line: [UInt8]) throws(InterchangeError) -> DecodedLine? {
        let result = line.withUnsafeBufferPointer { buffer in
            Result { () throws(InterchangeError) -> DecodedLine? in try decode(buffer) }
        }
        return try result.get()
    }

    /// Decodes one line given as a string; see the `UnsafeBufferPointer<UInt8>` overload.
    public mutating func decode(_ line: String) throws(InterchangeError) -> DecodedLine? {
        var line = line
        let result = line.withUTF8 { buffer in
            Result { () throws(InterchangeError) -> DecodedLine? in try decode(buffer) }
        }
        return try result.get()
    }

    /// The type names, packed, and their kinds; the most common first.
    private static let kindNames: [(name: PackedName, kind: RecordKind)] = [
        (PackedName("sample"), .sample), (PackedName("inference_start"), .inferenceStart),
        (PackedName("inference_end"), .inferenceEnd), (PackedName("tool_start"), .toolStart),
        (PackedName("tool_end"), .toolEnd), (PackedName("query_start"), .queryStart),
        (PackedName("query_end"), .queryEnd), (PackedName("run_start"), .runStart), (PackedName("mark"), .mark),
    ]

    /// The kind a plain string `type` member names, compared as packed
    /// bytes without building a `String`; `nil` when it names none.
    private static func kind(named bytes: UnsafeBufferPointer<UInt8>, _ member: JSONMember) -> RecordKind? {
        guard let name = PackedName(bytes, (member.valueStart + 1)..<(member.valueEnd - 1)) else { return nil }
        for candidate in kindNames where candidate.name == name { return candidate.kind }
        return nil
    }

    /// The record kind a `type` member names.
    private static func kind(of member: JSONMember?, reader: inout FieldReader) throws(InterchangeError)
        -> RecordKind
    {
        guard let member, member.kind != .null else {
            throw InterchangeError(.missingType, column: 1)
        }
        if member.kind == .plainString, let kind = Self.kind(named: reader.bytes, member) { return kind }
        guard let name = try reader.string(member, .type), member.kind != .number else {
            throw reader.invalid(member, .type, "expected a string, got \(reader.shown(member))")
        }
        switch name {
        case "run_start": return .runStart
        case "query_start": return .queryStart
        case "query_end": return .queryEnd
        case "inference_start": return .inferenceStart
        case "inference_end": return .inferenceEnd
        case "tool_start": return .toolStart
        case "tool_end": return .toolEnd
        case "sample": return .sample
        case "mark": return .mark
        default: throw InterchangeError(.unknownType(name), column: member.valueStart + 1)
        }
    }
}
