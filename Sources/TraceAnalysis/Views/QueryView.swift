/// `--by query`: a metric set's query rows, with cost and latency columns
/// added, for several runs (rows of the first run first, each run's in its
/// set's order).
///
/// Added columns (computed from the run's events; the set's own columns are
/// kept as they are, except `total_cost_usd`):
/// - `total_cost_usd`: the sum of the query's inference costs (see
///   ``InferenceCost``: the provider's cost, else the price table's), every
///   inference attributed to the query counted, failed queries included;
///   `null` when any is unknown. It replaces a `total_cost_usd` column the
///   set already has, in place (so `ipw`'s provider-only total becomes the
///   priced total), and is appended otherwise.
/// - `energy_per_output_token_joules`: the row's energy column (by default
///   `total_gpu_energy_joules`) divided by its `total_output_tokens`, when
///   both are known and the tokens positive.
/// - `inference_latency_s`, `tool_latency_s`: the sums of the query's
///   inference and tool-call latencies (`null` when any is unknown).
/// - `ms_per_output_token`, `output_tokens_per_s`: inference latency × 1000
///   / output tokens and its inverse, over the query's inferences (output
///   tokens summed from the inference ends), when both are known and
///   positive.
///
/// A row is matched to its query's events by `query_id`; a query id used
/// twice in one run pools both queries' events.
public enum QueryView {
    /// The augmented query rows of several runs.
    public static func rows(
        _ runs: [AnalyzedRun], prices: PriceTable, energyColumn: String = "total_gpu_energy_joules"
    ) -> ViewResult {
        var rows: [AnalysisRow] = []
        var unpriced = Set<String>()
        for run in runs {
            let spans = RunSpans(run.structure)
            for span in spans.inferences where InferenceCost.isUnpriced(span, prices: prices) {
                if let model = span.model { unpriced.insert(model) }
            }
            var inferences: [String: [InferenceSpan]] = [:]
            var tools: [String: [ToolCallSpan]] = [:]
            for span in spans.inferences { if let id = span.reference.queryID { inferences[id, default: []].append(span) } }
            for call in spans.toolCalls { if let id = call.reference.queryID { tools[id, default: []].append(call) } }
            for row in run.result.queries {
                let id = row["query_id"]?.stringValue
                rows.append(augmented(
                    row, inferences: id.flatMap { inferences[$0] } ?? [], tools: id.flatMap { tools[$0] } ?? [],
                    prices: prices, energyColumn: energyColumn))
            }
        }
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes))
    }

    /// One query row with the added columns.
    static func augmented(
        _ row: AnalysisRow, inferences: [InferenceSpan], tools: [ToolCallSpan], prices: PriceTable, energyColumn: String
    ) -> AnalysisRow {
        var cost = CostSum()
        for span in inferences { cost.add(span, prices: prices) }
        var out = row
        out.set("total_cost_usd", .double(cost.usd))

        let energy = row[energyColumn]?.doubleValue
        let outputTokens = row["total_output_tokens"]?.intValue
        out.set("energy_per_output_token_joules", .double(Self.perToken(energy, outputTokens)))

        let inferenceLatency = StrictSum.doubles(inferences.map(\.latencySeconds))
        let toolLatency = StrictSum.doubles(tools.map(\.latencySeconds))
        let spanTokens = StrictSum.ints(inferences.map(\.completionTokens))
        out.set("inference_latency_s", .double(inferenceLatency))
        out.set("tool_latency_s", .double(toolLatency))
        var msPerToken: Double?
        var tokensPerSecond: Double?
        if let seconds = inferenceLatency, seconds > 0, let tokens = spanTokens, tokens > 0 {
            msPerToken = seconds * 1000 / Double(tokens)
            tokensPerSecond = Double(tokens) / seconds
        }
        out.set("ms_per_output_token", .double(msPerToken))
        out.set("output_tokens_per_s", .double(tokensPerSecond))
        return out
    }

    /// Energy divided by tokens, when both are known, finite and positive tokens.
    static func perToken(_ energy: Double?, _ tokens: Int64?) -> Double? {
        guard let energy, energy.isFinite, let tokens, tokens > 0 else { return nil }
        return energy / Double(tokens)
    }
}

extension AnalysisRow {
    /// Sets a column's value in place, or appends the column when absent.
    mutating func set(_ name: String, _ value: AnalysisValue) {
        if let index = columns.firstIndex(where: { $0.name == name }) {
            columns[index].value = value
        } else {
            columns.append((name, value))
        }
    }
}
