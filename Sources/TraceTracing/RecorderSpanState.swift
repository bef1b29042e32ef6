import Synchronization
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
        func text(_ key: String) -> String? {
            guard let value = attributes.get(key) else { return nil }
            switch value {
            case .string(let s): return s
            default: return "\(value)"
            }
        }
        func integer(_ keys: String...) -> Int64? {
            for key in keys {
                switch attributes.get(key) {
                case .int64(let n): return n
                case .int32(let n): return Int64(n)
                case .double(let d) where d.rounded() == d && abs(d) < 9e18: return Int64(d)
                case .string(let s): if let n = Int64(s) { return n }
                default: continue
                }
            }
            return nil
        }
        func number(_ key: String) -> Double? {
            switch attributes.get(key) {
            case .double(let d): return d
            case .int64(let n): return Double(n)
            case .int32(let n): return Double(n)
            default: return nil
            }
        }
        let error = recordedError ?? (status?.code == .error ? (status?.message ?? text("error.type") ?? "error") : nil)
        let end = max(end, start)
        switch role {
        case .query:
            query?.recordStart(into: recorder)
            recorder.record(.queryEnd(QueryEnd(queryID: spanID, status: error == nil ? "completed" : "failed", error: error)), at: end)
        case .inference:
            recorder.record(.inferenceEnd(InferenceEnd(
                spanID: spanID, queryID: query?.id, model: text("gen_ai.request.model"),
                routedModel: text("gen_ai.response.model"),
                promptTokens: integer("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"),
                completionTokens: integer("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"),
                cachedTokens: integer("gen_ai.usage.cache_read.input_tokens"),
                reasoningTokens: integer("gen_ai.usage.reasoning.output_tokens"),
                costUSD: number("gen_ai.usage.cost.amount"),
                timeToFirstTokenSeconds: number("gen_ai.response.time_to_first_chunk"),
                status: error == nil ? "ok" : "error", error: error)), at: end)
        case .tool:
            recorder.record(.toolEnd(ToolEnd(
                spanID: spanID, queryID: query?.id, tool: text("gen_ai.tool.name") ?? toolName, ok: error == nil, error: error)),
                at: end)
        case .mark:
            query?.recordStart(into: recorder)
            recorder.record(.mark(Mark(name: name, queryID: query?.id, spanID: spanID, text: error.map { "error: \($0)" })), at: start)
        }
    }
}
