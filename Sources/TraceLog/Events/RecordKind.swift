/// The one-byte kind that starts every record in a segment.
///
/// Kinds are part of the on-disk format (docs/FORMAT.md) and never change
/// meaning. A reader skips kinds it does not know, using the record's length.
public enum RecordKind: UInt8, Sendable, CaseIterable {
    /// Defines the next entry of the segment's string table.
    case stringDefinition = 0x01
    /// ``RunStart``.
    case runStart = 0x10
    /// ``QueryStart``.
    case queryStart = 0x11
    /// ``QueryEnd``.
    case queryEnd = 0x12
    /// ``InferenceStart``.
    case inferenceStart = 0x13
    /// ``InferenceEnd``.
    case inferenceEnd = 0x14
    /// ``ToolStart``.
    case toolStart = 0x15
    /// ``ToolEnd``.
    case toolEnd = 0x16
    /// ``TelemetrySample``.
    case sample = 0x17
    /// ``Mark``.
    case mark = 0x18

    /// The name used for this kind in the JSON Lines interchange (`type`).
    public var interchangeName: String {
        switch self {
        case .stringDefinition: "string"
        case .runStart: "run_start"
        case .queryStart: "query_start"
        case .queryEnd: "query_end"
        case .inferenceStart: "inference_start"
        case .inferenceEnd: "inference_end"
        case .toolStart: "tool_start"
        case .toolEnd: "tool_end"
        case .sample: "sample"
        case .mark: "mark"
        }
    }
}
