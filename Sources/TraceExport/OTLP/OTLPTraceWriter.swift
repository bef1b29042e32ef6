import TraceAnalysis
import TraceInterchange
import TraceLog

/// An analysed run as OpenTelemetry spans in the OTLP JSON encoding: one
/// `ExportTraceServiceRequest` line per query (the layout of the
/// Collector's file exporter, which `import --from otlp` reads back).
///
/// Each query is an `invoke_agent` span (its trace id the query's
/// `otel.trace_id` label when it has one); each inference a `chat` span
/// under it with the GenAI usage attributes; each tool call an
/// `execute_tool` span under the inference that asked for it (under the
/// query when none did). Our results ride along as attributes:
/// `agent_trace.energy.gpu_joules` (the metric set's attribution),
/// `agent_trace.cost.usd` with the experimental `gen_ai.usage.cost.amount`,
/// `.currency` (`USD`) and `.source` (`provider` or the price table), and
/// `agent_trace.metric_set`. The original ids are kept as
/// `agent_trace.query_id` / `agent_trace.span_id`, so ids that are not hex
/// survive a round trip; hex ids of the right length are used as they are,
/// others are replaced by a hash of the run, query and id. Encoding: hex
/// ids, 64-bit integers as decimal strings, enums as integers.
public struct OTLPTraceWriter: Sendable {
    /// The metric set whose energy is written, by its `NAME@VERSION`.
    public var metricSet: String
    /// Prices for costs the provider did not report.
    public var prices: PriceTable

    /// Creates a writer.
    public init(metricSet: String, prices: PriceTable) {
        self.metricSet = metricSet
        self.prices = prices
    }

    /// One JSON line (without its newline) per query of `run`.
    public func lines(for run: AnalyzedRun, spanEnergy: SpanEnergy) -> [String] {
        let structure = run.structure
        return structure.queries.map { query in
            let traceID = query.labels.first { $0.key == "otel.trace_id" }.map(\.value).flatMap { Self.hex($0, digits: 32) }
                ?? Self.derivedID(structure.runID + "\u{0}" + query.queryID, digits: 32)
            let querySpanID = Self.hex(query.queryID, digits: 16) ?? Self.derivedID(structure.runID + "\u{0}q" + query.queryID, digits: 16)
            var spans: [String] = []
            var queryAttributes: [(String, Attribute)] = [
                ("gen_ai.operation.name", .string("invoke_agent")),
                ("agent_trace.query_id", .string(query.queryID)),
                ("agent_trace.run_id", .string(structure.runID)),
                ("agent_trace.metric_set", .string(metricSet)),
            ]
            for label in query.labels {
                switch label.key {
                case "conversation_id": queryAttributes.append(("gen_ai.conversation.id", .string(label.value)))
                case "agent_name": queryAttributes.append(("gen_ai.agent.name", .string(label.value)))
                case "otel.trace_id": break
                default: queryAttributes.append(("agent_trace.label." + label.key, .string(label.value)))
                }
            }
            let queryFailed = query.status == "failed" || query.error != nil
            spans.append(Self.span(
                traceID: traceID, spanID: querySpanID, parent: nil, name: "invoke_agent", kind: 1, start: query.start,
                end: max(query.end, query.start), attributes: queryAttributes,
                error: queryFailed ? (query.error ?? query.status ?? "failed") : nil))
            // Span ids as written, for the parents of tool calls.
            var written: [String: String] = [:]
            let ordered = query.spans.filter { structure.spans[$0].kind == .inference }
                + query.spans.filter { structure.spans[$0].kind == .tool }
            for index in ordered {
                let span = structure.spans[index]
                guard let start = span.start ?? span.end else { continue }
                let end = max(span.clampedEnd ?? span.end ?? start, start)
                let original = span.spanID ?? "\(span.kind.rawValue)-\(span.startSequence ?? span.endSequence ?? 0)"
                let id = Self.hex(original, digits: 16)
                    ?? Self.derivedID(structure.runID + "\u{0}" + query.queryID + "\u{0}" + original, digits: 16)
                written[original] = id
                var attributes: [(String, Attribute)] = [("agent_trace.span_id", .string(original))]
                let reference = structure.reference(index)
                let energy = spanEnergy.gpuJoules(reference)
                var results: [(String, Attribute)] = []
                if let energy { results.append(("agent_trace.energy.gpu_joules", .double(energy))) }
                if let cpu = spanEnergy.cpuJoules(reference) { results.append(("agent_trace.energy.cpu_joules", .double(cpu))) }
                let flags = spanEnergy.flags(reference)
                if !flags.isEmpty { results.append(("agent_trace.energy.flags", .strings(flags))) }
                switch span.kind {
                case .inference:
                    attributes.insert(("gen_ai.operation.name", .string("chat")), at: 0)
                    if let model = span.startModel ?? span.endModel { attributes.append(("gen_ai.request.model", .string(model))) }
                    if let routed = span.routedModel { attributes.append(("gen_ai.response.model", .string(routed))) }
                    if let n = span.promptTokens { attributes.append(("gen_ai.usage.input_tokens", .int(n))) }
                    if let n = span.completionTokens { attributes.append(("gen_ai.usage.output_tokens", .int(n))) }
                    if let n = span.cachedTokens { attributes.append(("gen_ai.usage.cache_read.input_tokens", .int(n))) }
                    if let n = span.cacheWriteTokens { attributes.append(("gen_ai.usage.cache_creation.input_tokens", .int(n))) }
                    if let provider = span.provider { attributes.append(("gen_ai.provider.name", .string(provider))) }
                    if let n = span.reasoningTokens { attributes.append(("gen_ai.usage.reasoning.output_tokens", .int(n))) }
                    if let ttft = span.timeToFirstTokenSeconds, ttft.isFinite {
                        attributes.append(("gen_ai.response.time_to_first_chunk", .double(ttft)))
                    }
                    if let reason = span.stopReason { attributes.append(("gen_ai.response.finish_reasons", .string(reason))) }
                    let provider = span.costUSD.map(\.isFinite) ?? false
                    if let cost = InferenceCost.usd(
                        providerCostUSD: span.costUSD, model: span.model, promptTokens: span.promptTokens,
                        completionTokens: span.completionTokens, cachedTokens: span.cachedTokens, prices: prices) {
                        attributes.append(("agent_trace.cost.usd", .double(cost)))
                        attributes.append(("gen_ai.usage.cost.amount", .double(cost)))
                        attributes.append(("gen_ai.usage.cost.currency", .string("USD")))
                        attributes.append(("gen_ai.usage.cost.source", .string(provider ? "provider" : prices.identity.description)))
                    }
                    attributes += results
                    spans.append(Self.span(
                        traceID: traceID, spanID: id, parent: querySpanID, name: "chat " + (span.model ?? "unknown"),
                        kind: 3, start: start, end: end, attributes: attributes,
                        error: span.failed ? (span.error ?? span.status ?? "error") : nil))
                case .tool:
                    attributes.insert(("gen_ai.operation.name", .string("execute_tool")), at: 0)
                    attributes.insert(("gen_ai.tool.name", .string(span.toolName)), at: 1)
                    if let bytes = span.outputBytes { attributes.append(("agent_trace.tool.output_bytes", .int(bytes))) }
                    attributes += results
                    let parent = span.parentSpanID.flatMap { written[$0] } ?? querySpanID
                    spans.append(Self.span(
                        traceID: traceID, spanID: id, parent: parent, name: "execute_tool " + span.toolName, kind: 1,
                        start: start, end: end, attributes: attributes, error: span.failed ? (span.error ?? "error") : nil))
                }
            }
            var line = #"{"resourceSpans":[{"resource":{"attributes":["#
            Self.attribute("service.name", .string("agent-trace"), to: &line)
            line += ","
            Self.attribute("agent_trace.run_id", .string(structure.runID), to: &line)
            line += #"]},"scopeSpans":[{"scope":{"name":"agent-trace"},"spans":["#
            line += spans.joined(separator: ",")
            line += "]}]}]}"
            return line
        }
    }

    /// An attribute value.
    enum Attribute {
        case string(String)
        case int(Int64)
        case double(Double)
        case strings([String])
    }

    static func span(
        traceID: String, spanID: String, parent: String?, name: String, kind: Int, start: Int64, end: Int64,
        attributes: [(String, Attribute)], error: String?
    ) -> String {
        var out = #"{"traceId":""# + traceID + #"","spanId":""# + spanID + #"""#
        if let parent { out += #","parentSpanId":""# + parent + #"""# }
        out += #","name":"#
        JSONText.string(name, to: &out)
        out += #","kind":\#(kind),"startTimeUnixNano":"\#(start)","endTimeUnixNano":"\#(end)","attributes":["#
        for (position, (key, value)) in attributes.enumerated() {
            if position > 0 { out += "," }
            attribute(key, value, to: &out)
        }
        out += "]"
        if let error {
            out += #","status":{"code":2,"message":"#
            JSONText.string(error, to: &out)
            out += "}"
        } else {
            out += #","status":{}"#
        }
        out += "}"
        return out
    }

    static func attribute(_ key: String, _ value: Attribute, to out: inout String) {
        out += #"{"key":"#
        JSONText.string(key, to: &out)
        out += #","value":{"#
        switch value {
        case .string(let s):
            out += #""stringValue":"#
            JSONText.string(s, to: &out)
        case .int(let n): out += #""intValue":"\#(n)""#
        case .double(let d): out += d.isFinite ? #""doubleValue":\#(d.description)"# : #""stringValue":"\#(d)""#
        case .strings(let list):
            out += #""arrayValue":{"values":["#
            for (position, item) in list.enumerated() {
                if position > 0 { out += "," }
                out += #"{"stringValue":"#
                JSONText.string(item, to: &out)
                out += "}"
            }
            out += "]}"
        }
        out += "}}"
    }

    /// `text` lowercased when it is `digits` hex digits and not all zero
    /// (the rule the reader applies).
    static func hex(_ text: String, digits: Int) -> String? { OTLPJSONReader.hexID(text, digits: digits) }

    /// A stable id of `digits` hex digits (16 or 32) from `key` (FNV-1a).
    static func derivedID(_ key: String, digits: Int) -> String {
        var parts: [String] = []
        for seed: UInt64 in digits > 16 ? [0xCBF2_9CE4_8422_2325, 0x6C62_272E_07BB_0142] : [0xCBF2_9CE4_8422_2325] {
            var hash = seed
            for byte in key.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            if hash == 0 { hash = 1 }
            let text = String(hash, radix: 16)
            parts.append(String(repeating: "0", count: 16 - text.count) + text)
        }
        return parts.joined()
    }
}
