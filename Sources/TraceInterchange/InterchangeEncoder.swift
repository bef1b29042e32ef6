import TraceLog

/// Prints events as lines of the JSON Lines interchange.
///
/// Each line is one compact JSON object with its members in a fixed order:
/// `type`, `t` and/or `t_ns` (see ``TimeFields``), then the kind's fields
/// in the order of the interchange's field list (`run_id` first on
/// `run_start`). Absent (`nil`) fields and empty labels are omitted, never
/// printed as `null`. Output is deterministic and round-trips through
/// ``InterchangeDecoder``: decoding a printed line gives back the same
/// timestamp and payload (NaN as NaN).
///
/// Numbers are printed as the shortest text that reads back as the same
/// `Double`; NaN and infinities as the strings `"NaN"`, `"Infinity"` and
/// `"-Infinity"`. Strings are escaped per RFC 8259, keeping non-ASCII text
/// as UTF-8. Lines have no terminator: the caller adds `\n`.
///
/// The event's `runID` and `sequence` are not printed: record order is line
/// order, and a `run_start` line carries its run id in its own `run_id`.
public struct InterchangeEncoder: Sendable {
    /// Which time members a line carries.
    public enum TimeFields: Sendable, Equatable {
        /// `t`: exact decimal seconds since the Unix epoch, e.g.
        /// `1732238400.125`, with at least one fractional digit.
        case seconds
        /// `t_ns`: integer nanoseconds since the Unix epoch.
        case nanoseconds
        /// Both `t` and `t_ns`, in that order.
        case both
    }

    /// Which time members a line carries; `.seconds` unless set.
    public var timeFields: TimeFields

    /// Creates an encoder.
    public init(timeFields: TimeFields = .seconds) {
        self.timeFields = timeFields
    }

    /// The event as one line, without a line terminator.
    public func encode(_ event: TraceEvent) -> String {
        var bytes: [UInt8] = []
        encode(event, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the event as one line, without a line terminator, to `buffer`.
    /// The sender's process id, when the event has one, comes last as
    /// `sender_pid`.
    public func encode(_ event: TraceEvent, into buffer: inout [UInt8]) {
        encode(timestamp: event.timestamp, payload: event.payload, senderPID: event.senderPID, into: &buffer)
    }

    /// A timestamp (nanoseconds since the Unix epoch; `nil` prints no time)
    /// and a payload as one line, without a line terminator.
    public func encode(timestamp: Int64?, payload: EventPayload) -> String {
        var bytes: [UInt8] = []
        encode(timestamp: timestamp, payload: payload, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a timestamp (nanoseconds since the Unix epoch; `nil` prints
    /// no time) and a payload as one line, without a line terminator, to
    /// `buffer`.
    public func encode(timestamp: Int64?, payload: EventPayload, into buffer: inout [UInt8]) {
        encode(timestamp: timestamp, payload: payload, senderPID: nil, into: &buffer)
    }

    private func encode(timestamp: Int64?, payload: EventPayload, senderPID: Int32?, into buffer: inout [UInt8]) {
        var writer = JSONWriter(into: buffer)
        buffer = []
        writer.beginObject()
        writer.member(.type, payload.kind.interchangeName)
        if let timestamp {
            if timeFields != .nanoseconds {
                writer.key(InterchangeField.t.rawValue)
                writer.appendSeconds(nanoseconds: timestamp)
            }
            if timeFields != .seconds {
                writer.member(.tNs, timestamp)
            }
        }
        writeFields(of: payload, to: &writer)
        writer.member(.senderPID, senderPID.map(Int64.init))
        writer.endObject()
        buffer = writer.bytes
    }

    private func writeFields(of payload: EventPayload, to w: inout JSONWriter) {
        switch payload {
        case .runStart(let e):
            w.member(.runID, e.runID)
            w.member(.host, e.host)
            w.member(.recorderVersion, e.recorderVersion)
            w.member(.labels, e.labels)
        case .queryStart(let e):
            w.member(.queryID, e.queryID)
            w.member(.workloadType, e.workloadType)
            w.member(.text, e.text)
            w.member(.labels, e.labels)
        case .queryEnd(let e):
            w.member(.queryID, e.queryID)
            w.member(.status, e.status)
            w.member(.response, e.response)
            w.member(.error, e.error)
            w.member(.resolved, e.resolved)
            w.member(.score, e.score)
        case .inferenceStart(let e):
            w.member(.spanID, e.spanID)
            w.member(.queryID, e.queryID)
            w.member(.model, e.model)
        case .inferenceEnd(let e):
            w.member(.spanID, e.spanID)
            w.member(.queryID, e.queryID)
            w.member(.model, e.model)
            w.member(.routedModel, e.routedModel)
            w.member(.promptTokens, e.promptTokens)
            w.member(.completionTokens, e.completionTokens)
            w.member(.cachedTokens, e.cachedTokens)
            w.member(.reasoningTokens, e.reasoningTokens)
            w.member(.costUSD, e.costUSD)
            w.member(.ttftSeconds, e.timeToFirstTokenSeconds)
            w.member(.cached, e.cached)
            w.member(.status, e.status)
            w.member(.error, e.error)
            w.member(.stopReason, e.stopReason)
            w.member(.provider, e.provider)
            w.member(.cacheWriteTokens, e.cacheWriteTokens)
        case .toolStart(let e):
            w.member(.spanID, e.spanID)
            w.member(.queryID, e.queryID)
            w.member(.tool, e.tool)
            w.member(.parentSpanID, e.parentSpanID)
            w.member(.arguments, e.arguments)
        case .toolEnd(let e):
            w.member(.spanID, e.spanID)
            w.member(.queryID, e.queryID)
            w.member(.tool, e.tool)
            w.member(.ok, e.ok)
            w.member(.error, e.error)
            w.member(.outputBytes, e.outputBytes)
        case .sample(let e):
            w.member(.source, e.source)
            w.member(.gpuEnergyJoules, e.gpuEnergyJoules)
            w.member(.gpuPowerWatts, e.gpuPowerWatts)
            w.member(.cpuEnergyJoules, e.cpuEnergyJoules)
            w.member(.cpuPowerWatts, e.cpuPowerWatts)
            w.member(.dramEnergyJoules, e.dramEnergyJoules)
            w.member(.dramPowerWatts, e.dramPowerWatts)
            w.member(.energyWrapJoules, e.energyWrapJoules)
            w.member(.gpuUtilizationPercent, e.gpuUtilizationPercent)
            w.member(.cpuUtilizationPercent, e.cpuUtilizationPercent)
            w.member(.memoryBytes, e.memoryBytes)
            w.member(.temperatureCelsius, e.temperatureCelsius)
        case .mark(let e):
            w.member(.name, e.name)
            w.member(.queryID, e.queryID)
            w.member(.spanID, e.spanID)
            w.member(.text, e.text)
        }
    }
}
