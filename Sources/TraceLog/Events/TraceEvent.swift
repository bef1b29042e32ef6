// The TraceLog module: the event model and the on-disk log format.
/// One raw fact from an agent run, as it stands in a log.
///
/// Events carry raw observations only: timestamps, identifiers, token counts
/// and telemetry readings as the recorder saw them. No metric is computed
/// when an event is recorded; that is the analyser's job.
public struct TraceEvent: Sendable, Equatable {
    /// The run this event belongs to (from its segment's header).
    public var runID: String
    /// Position in the run's record order (0-based). Record order is the
    /// order in which the recorder accepted events, which may differ from
    /// timestamp order.
    public var sequence: UInt64
    /// Wall-clock time of the event in nanoseconds since the Unix epoch.
    public var timestamp: Int64
    /// What happened.
    public var payload: EventPayload
    /// The process that sent the event, when the recorder knew it:
    /// `trace-record` stamps every event from its socket (except telemetry
    /// samples) with the connecting process's id (`SO_PEERCRED`).
    public var senderPID: Int32?

    /// Creates an event.
    public init(runID: String, sequence: UInt64, timestamp: Int64, payload: EventPayload, senderPID: Int32? = nil) {
        self.runID = runID
        self.sequence = sequence
        self.timestamp = timestamp
        self.payload = payload
        self.senderPID = senderPID
    }
}

/// The kinds of fact a log holds, each with its own fields.
public enum EventPayload: Sendable, Equatable {
    /// A run began.
    case runStart(RunStart)
    /// A query (one task given to the agent) began.
    case queryStart(QueryStart)
    /// A query ended.
    case queryEnd(QueryEnd)
    /// A model inference (one LLM call) began.
    case inferenceStart(InferenceStart)
    /// A model inference ended.
    case inferenceEnd(InferenceEnd)
    /// A tool call began.
    case toolStart(ToolStart)
    /// A tool call ended.
    case toolEnd(ToolEnd)
    /// A raw telemetry reading.
    case sample(TelemetrySample)
    /// A named annotation.
    case mark(Mark)

    /// The record kind this payload is stored as.
    @inlinable
    public var kind: RecordKind {
        switch self {
        case .runStart: .runStart
        case .queryStart: .queryStart
        case .queryEnd: .queryEnd
        case .inferenceStart: .inferenceStart
        case .inferenceEnd: .inferenceEnd
        case .toolStart: .toolStart
        case .toolEnd: .toolEnd
        case .sample: .sample
        case .mark: .mark
        }
    }

    /// The query this event belongs to, if it names one.
    public var queryID: String? {
        switch self {
        case .runStart, .sample: nil
        case .queryStart(let e): e.queryID
        case .queryEnd(let e): e.queryID
        case .inferenceStart(let e): e.queryID
        case .inferenceEnd(let e): e.queryID
        case .toolStart(let e): e.queryID
        case .toolEnd(let e): e.queryID
        case .mark(let e): e.queryID
        }
    }
}

/// A free key/value annotation (model, git sha, data_id, …).
public struct Label: Sendable, Equatable, Hashable {
    /// The label's name.
    public var key: String
    /// The label's value.
    public var value: String

    /// Creates a label.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
