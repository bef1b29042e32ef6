import Synchronization
import TraceInterchange
import TraceLog
import TraceRecorder
import Tracing

/// What a ``RecorderSpan`` knows and records.
final class RecorderSpanState: Sendable {
    /// What the span is recorded as.
    enum Role: Sendable, Equatable {
        case query, inference, tool, mark
    }

    /// A query's shared state: its id, its latest inference, and whether
    /// its start is recorded yet.
    final class QueryState: Sendable {
        let id: String
        let latestInference = Mutex<String?>(nil)
        /// The query span, until its start is recorded.
        let pending = Mutex<RecorderSpanState?>(nil)
        init(id: String) { self.id = id }

        /// Records the query's start (once), with the labels its span has
        /// by now: called before the first event inside it and at its end,
        /// so attributes set at the top of its body are in it.
        func recordStart(into recorder: Recorder) {
            guard let span = pending.withLock({ state -> RecorderSpanState? in
                defer { state = nil }
                return state
            }) else { return }
            let attributes = span.mutable.withLock { $0.attributes }
            var labels: [Label] = []
            for (key, label) in [("gen_ai.conversation.id", "conversation_id"), ("gen_ai.agent.name", "agent_name")] {
                if case .string(let value) = attributes.get(key) { labels.append(Label(label, value)) }
            }
            recorder.record(.queryStart(QueryStart(queryID: id, workloadType: "agentic", labels: labels)), at: span.start)
        }
    }

    struct Mutable {
        var name: String
        var attributes = SpanAttributes()
        var status: SpanStatus?
        var error: String?
        var ended = false
    }

    let spanID: String
    let role: Role
    let parent: RecorderSpanState?
    let query: QueryState?
    let start: Int64
    let mutable: Mutex<Mutable>

    init(spanID: String, role: Role, name: String, parent: RecorderSpanState?, query: QueryState?, start: Int64) {
        self.spanID = spanID
        self.role = role
        self.parent = parent
        self.query = query
        self.start = start
        mutable = Mutex(Mutable(name: name))
    }

    /// The role a span named `name` gets when it starts.
    static func role(_ name: String, hasParent: Bool) -> Role {
        let operation = name.split(separator: " ", maxSplits: 1).first.map(String.init) ?? name
        switch operation {
        case "chat", "text_completion", "generate_content": return .inference
        case "execute_tool": return .tool
        case "invoke_agent", "invoke_workflow": return hasParent ? .mark : .query
        default: return hasParent ? .mark : .query
        }
    }

    /// A random span id: 16 hex digits, not all zero.
    static func newSpanID() -> String {
        var generator = SystemRandomNumberGenerator()
        var value: UInt64 = 0
        while value == 0 { value = generator.next() }
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// The tool name of a span named `execute_tool NAME`.
    private var toolName: String? {
        let name = mutable.withLock { $0.name }
        guard name.hasPrefix("execute_tool ") else { return nil }
        return String(name.dropFirst("execute_tool ".count))
    }

    /// The inference this span runs in, else its query's latest.
    private var parentInference: String? {
        var current = parent
        while let span = current {
            if span.role == .inference { return span.spanID }
            current = span.parent
        }
        return query?.latestInference.withLock { $0 }
    }

    func recordStart(into recorder: Recorder) {
        if role != .query { query?.recordStart(into: recorder) }
        switch role {
        case .query:
            query?.pending.withLock { $0 = self }
        case .inference:
            query?.latestInference.withLock { $0 = spanID }
            recorder.record(.inferenceStart(InferenceStart(spanID: spanID, queryID: query?.id)), at: start)
        case .tool:
            recorder.record(.toolStart(ToolStart(
                spanID: spanID, queryID: query?.id, tool: toolName, parentSpanID: parentInference)), at: start)
        case .mark:
            break
        }
    }

    func recordEnd(into recorder: Recorder, at end: Int64) {
        let (name, attributes, status, recordedError, wasEnded) = mutable.withLock { state in
            defer { state.ended = true }
            return (state.name, state.attributes, state.status, state.error, state.ended)
        }
        guard !wasEnded else { return }
        // The attributes as OTLP values: read by the same mapping as spans
        // that arrive over OTLP (``OTLPMapping``).
        var values: [(key: String, value: OTLPValue)] = []
        attributes.forEach { key, value in
            switch value {
            case .string(let s): values.append((key, .string(s)))
            case .int64(let n): values.append((key, .int(n)))
            case .int32(let n): values.append((key, .int(Int64(n))))
            case .double(let d): values.append((key, .double(d)))
            case .bool(let b): values.append((key, .bool(b)))
            default: values.append((key, .other("\(value)")))
            }
        }
        let statusError = status?.code == .error ? (status?.message ?? values.first { $0.key == "error.type" }?.value.text ?? "error") : nil
        let error = recordedError ?? statusError
        let end = max(end, start)
        let span = OTLPSpan(
            traceID: "", spanID: spanID, name: name, start: start, end: end, attributes: values,
            statusCode: error == nil ? 0 : 2, statusMessage: error)
        switch role {
        case .query:
            query?.recordStart(into: recorder)
            recorder.record(.queryEnd(QueryEnd(queryID: spanID, status: error == nil ? "completed" : "failed", error: error)), at: end)
        case .inference:
            recorder.record(.inferenceEnd(OTLPMapping.inferenceEnd(of: span, spanID: spanID, queryID: query?.id)), at: end)
        case .tool:
            recorder.record(.toolEnd(ToolEnd(
                spanID: spanID, queryID: query?.id, tool: span.attribute("gen_ai.tool.name")?.text ?? toolName, ok: error == nil,
                error: error)),
                at: end)
        case .mark:
            query?.recordStart(into: recorder)
            recorder.record(.mark(Mark(name: name, queryID: query?.id, spanID: spanID, text: error.map { "error: \($0)" })), at: start)
        }
    }
}
