import TraceLog

/// OpenTelemetry GenAI spans as our events (the table in docs/FORMAT.md §9).
///
/// - **Inference**: `gen_ai.operation.name` `chat`, `text_completion` or
///   `generate_content`, or any other span carrying `gen_ai.request.model`
///   (but not a tool or agent operation).
/// - **Tool call**: `gen_ai.operation.name` `execute_tool`, or a span with
///   `gen_ai.tool.name`. Its parent is the nearest inference among its
///   ancestors, else the latest inference of its query that started before
///   it (the call that asked for it: in the GenAI conventions tool spans are
///   usually siblings of the chat spans under the agent's span).
/// - **Query**: the outermost `invoke_agent` or `invoke_workflow` span of a
///   trace branch, else the root span of each trace (a trace whose root is
///   itself an inference or a tool gets a query of its own, named by the
///   trace id, spanning its spans).
/// - Any other span is kept as a mark named after it.
///
/// Ids are kept as hex: a span's id is its `span_id`, a query's id its
/// span's id (or the trace id for a made-up query), and the trace id is the
/// query's label `otel.trace_id`. Each span gives a start at its start time
/// and an end at its end time; at equal times ends come before starts (a
/// tool started as its inference ended follows it), queries open first and
/// close last.
public enum OTLPMapping {
    /// The GenAI operation names of model calls.
    static let inferenceOperations: Set<String> = ["chat", "text_completion", "generate_content"]
    /// Those of agents and workflows.
    static let queryOperations: Set<String> = ["invoke_agent", "invoke_workflow", "create_agent"]

    /// What a span is taken for.
    public enum Role: Sendable, Equatable {
        case query, inference, tool, mark
    }

    /// The role of `span` by its own attributes (queries are decided with
    /// the tree: see ``events(from:)``).
    public static func role(of span: OTLPSpan) -> Role {
        let operation = span.attribute("gen_ai.operation.name")?.text
        if operation == "execute_tool" || (operation == nil && span.attribute("gen_ai.tool.name") != nil) { return .tool }
        if let operation, queryOperations.contains(operation) { return .query }
        if let operation, inferenceOperations.contains(operation) { return .inference }
        if span.attribute("gen_ai.request.model") != nil { return .inference }
        return .mark
    }

    /// The events of `spans`, in time order, each with its wall-clock time.
    public static func events(from spans: [OTLPSpan]) -> [(timestamp: Int64, payload: EventPayload)] {
        var byID: [String: Int] = [:]
        for (index, span) in spans.enumerated() where byID[span.traceID + span.spanID] == nil {
            byID[span.traceID + span.spanID] = index
        }
        func parent(of index: Int) -> Int? {
            guard let id = spans[index].parentSpanID else { return nil }
            return byID[spans[index].traceID + id]
        }
        var roles = spans.map(role(of:))
        // The query of each span: its outermost query-role ancestor (itself
        // included), else its root. Deeper agent spans become marks.
        var queryOf = [Int?](repeating: nil, count: spans.count)
        var rootOf = [Int](repeating: 0, count: spans.count)
        for index in spans.indices {
            var current = index
            var outermostQuery: Int? = roles[index] == .query ? index : nil
            var steps = 0
            while let up = parent(of: current), steps < spans.count {
                current = up
                if roles[up] == .query { outermostQuery = up }
                steps += 1
            }
            rootOf[index] = current
            queryOf[index] = outermostQuery
        }
        for index in spans.indices where roles[index] == .query && queryOf[index] != index { roles[index] = .mark }
        // A root that is neither a query, an inference nor a tool is one.
        for index in spans.indices where queryOf[index] == nil {
            let root = rootOf[index]
            if roles[root] == .mark {
                roles[root] = .query
                queryOf[index] = root
            }
        }
        for index in spans.indices where roles[index] == .query { queryOf[index] = index }

        var timed: [(timestamp: Int64, rank: Int, order: Int, payload: EventPayload)] = []
        func add(_ timestamp: Int64, _ rank: Int, _ payload: EventPayload) {
            timed.append((timestamp, rank, timed.count, payload))
        }
        // Made-up queries, one per trace of spans without a query.
        var madeUp: [String: (start: Int64, end: Int64)] = [:]
        var madeUpOrder: [String] = []
        func queryID(of index: Int) -> String {
            if let query = queryOf[index] { return spans[query].attribute("agent_trace.query_id")?.text ?? spans[query].spanID }
            let trace = spans[index].traceID
            if let window = madeUp[trace] {
                madeUp[trace] = (min(window.start, spans[index].start), max(window.end, spans[index].end))
            } else {
                madeUp[trace] = (spans[index].start, spans[index].end)
                madeUpOrder.append(trace)
            }
            return trace
        }
        // Inferences by query, by start, for the parents of tool calls.
        var inferencesByQuery: [String: [(start: Int64, id: String)]] = [:]
        /// A span's id as recorded: `agent_trace.span_id` (what `otlp` writes), else its OTLP id.
        func ownID(_ index: Int) -> String { spans[index].attribute("agent_trace.span_id")?.text ?? spans[index].spanID }
        for index in spans.indices where roles[index] == .inference {
            inferencesByQuery[queryID(of: index), default: []].append((spans[index].start, ownID(index)))
        }
        for key in inferencesByQuery.keys { inferencesByQuery[key]!.sort { $0.start < $1.start } }

        for (index, span) in spans.enumerated() {
            let query = queryID(of: index)
            let errorText = errorText(of: span)
            let failed = errorText != nil
            switch roles[index] {
            case .query:
                var labels = [Label("otel.trace_id", span.traceID)]
                if let conversation = span.attribute("gen_ai.conversation.id") { labels.append(Label("conversation_id", conversation.text)) }
                if let agent = span.attribute("gen_ai.agent.name") { labels.append(Label("agent_name", agent.text)) }
                for (key, value) in span.attributes where key.hasPrefix("agent_trace.label.") {
                    labels.append(Label(String(key.dropFirst("agent_trace.label.".count)), value.text))
                }
                add(span.start, 0, .queryStart(QueryStart(queryID: query, workloadType: "agentic", text: nil, labels: labels)))
                add(span.end, 3, .queryEnd(QueryEnd(
                    queryID: query, status: failed ? "failed" : "completed", error: errorText)))
            case .inference:
                let model = span.attribute("gen_ai.request.model")?.text
                add(span.start, 2, .inferenceStart(InferenceStart(spanID: ownID(index), queryID: query, model: model)))
                add(span.end, 1, .inferenceEnd(inferenceEnd(of: span, spanID: ownID(index), queryID: query)))
            case .tool:
                var parentInference: String?
                var current = index
                while let up = parent(of: current) {
                    if roles[up] == .inference {
                        parentInference = ownID(up)
                        break
                    }
                    current = up
                }
                if parentInference == nil {
                    parentInference = inferencesByQuery[query]?.last { $0.start <= span.start }?.id
                }
                var name = span.attribute("gen_ai.tool.name")?.text ?? span.name
                if name.hasPrefix("execute_tool ") { name.removeFirst("execute_tool ".count) }
                add(span.start, 2, .toolStart(ToolStart(
                    spanID: ownID(index), queryID: query, tool: name, parentSpanID: parentInference,
                    arguments: span.attribute("gen_ai.tool.call.arguments")?.text)))
                add(span.end, 1, .toolEnd(ToolEnd(
                    spanID: ownID(index), queryID: query, tool: name, ok: !failed, error: errorText,
                    outputBytes: span.attribute("agent_trace.tool.output_bytes")?.integer)))
            case .mark:
                add(span.start, 2, .mark(Mark(name: span.name, queryID: query, spanID: ownID(index),
                                              text: errorText.map { "error: \($0)" })))
            }
        }
        for trace in madeUpOrder {
            let window = madeUp[trace]!
            add(window.start, 0, .queryStart(QueryStart(queryID: trace, workloadType: "agentic", labels: [Label("otel.trace_id", trace)])))
            add(window.end, 3, .queryEnd(QueryEnd(queryID: trace, status: "completed")))
        }
        timed.sort { ($0.timestamp, $0.rank, $0.order) < ($1.timestamp, $1.rank, $1.order) }
        return timed.map { ($0.timestamp, $0.payload) }
    }

    /// An inference span's end: model, usage, cost, status and error from
    /// its GenAI attributes (the table above); what ``events(from:)`` and
    /// `TraceTracing`'s spans record.
    package static func inferenceEnd(of span: OTLPSpan, spanID: String, queryID: String?) -> InferenceEnd {
        let error = errorText(of: span)
        return InferenceEnd(
            spanID: spanID, queryID: queryID, model: span.attribute("gen_ai.request.model")?.text,
            routedModel: span.attribute("gen_ai.response.model")?.text,
            promptTokens: integer(span, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"),
            completionTokens: integer(span, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
                                      "llm.token_count.completion"),
            cachedTokens: integer(span, "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"),
            reasoningTokens: integer(span, "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens"),
            costUSD: providerCost(span),
            timeToFirstTokenSeconds: span.attribute("gen_ai.response.time_to_first_chunk")?.number,
            status: error == nil ? "ok" : "error", error: error,
            stopReason: span.attribute("gen_ai.response.finish_reasons")?.text,
            provider: (span.attribute("gen_ai.provider.name") ?? span.attribute("gen_ai.system"))?.text,
            cacheWriteTokens: integer(span, "gen_ai.usage.cache_creation.input_tokens",
                                      "gen_ai.usage.cache_creation_input_tokens"))
    }

    /// A span's error when its status is ERROR: the status message, else
    /// `error.type`, else `error`; nil otherwise.
    package static func errorText(of span: OTLPSpan) -> String? {
        guard span.statusCode == 2 else { return nil }
        return span.statusMessage ?? span.attribute("error.type")?.text ?? "error"
    }

    /// The cost the provider reported: `gen_ai.usage.cost.amount` unless
    /// its source says it came from a price table (what `otlp` writes for
    /// costs it computed, which an import must not take as reported).
    private static func providerCost(_ span: OTLPSpan) -> Double? {
        guard let amount = span.attribute("gen_ai.usage.cost.amount")?.number else { return nil }
        let source = span.attribute("gen_ai.usage.cost.source")?.text
        return source == nil || source == "provider" ? amount : nil
    }

    private static func integer(_ span: OTLPSpan, _ keys: String...) -> Int64? {
        for key in keys { if let value = span.attribute(key)?.integer { return value } }
        return nil
    }
}
