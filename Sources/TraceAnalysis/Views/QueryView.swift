/// `--by query`: a metric set's query rows, with cost and latency columns
/// added, for several runs (rows of the first run first, each run's in its
/// set's order).
///
/// Every row starts with its run's `run_id`. Added columns (computed from
/// the run's structure; the set's own columns are kept as they are, except
/// the three totals below, replaced in place):
/// - `status`, `error`: the query end's, `null` when not recorded (a query
///   that never ended has no status); `resolved`, `score`: the outcome on
///   the query end; `labels`: the query start's labels (an object).
/// - `total_input_tokens`, `total_output_tokens`: the sums of the known
///   counts of the query's turns' inferences (as the set's columns count
///   them), with `calls_without_usage` (those missing either count: one
///   that raised, or never ended); a total is `null` only when no
///   inference has the count (``KnownSum``).
/// - `total_cost_usd`: the sum of the known costs of the query's
///   inferences (see ``InferenceCost``: the provider's cost, else the price
///   table's), with `unpriced_calls` beside it. It replaces a
///   `total_cost_usd` column the set already has, in place (so `ipw`'s
///   provider-only total becomes the priced total).
/// - `energy_per_output_token_joules`: the row's energy column (by default
///   `total_gpu_energy_joules`) divided by its `total_output_tokens`, when
///   both are known, the tokens positive and every inference has usage.
/// - `inference_latency_s`, `tool_latency_s`: the sums of the known
///   latencies of the query's ended inferences and its tool calls, with
///   `unfinished_calls` (calls of either kind never ended or never
///   started, ``StructureSpan/State``).
/// - `inference_ms_per_output_token`, `inference_output_tokens_per_s`: inference latency × 1000
///   / output tokens and its inverse, when every inference has a latency
///   and usage and both are positive.
///
/// A row is matched to its query's spans by `query_id`; a query id used
/// twice in one run pools both queries' spans (and shows the first one's
/// status and outcome).
public enum QueryView {
    /// The augmented query rows of several runs.
    public static func rows(
        _ runs: [AnalyzedRun], prices: PriceTable, energyColumn: String = "total_gpu_energy_joules"
    ) -> ViewResult {
        var rows: [AnalysisRow] = []
        var unpriced = Set<String>()
        for run in runs {
            let structure = run.structure
            // Per query id, as indices into the structure (the spans are
            // made one query at a time): its ended inferences in order of
            // their end records with their turn positions, its tool calls in
            // order of their end records, its first query, its turns'
            // inferences (started, ended or not) and its calls without a
            // latency (never ended, or never started).
            var inferences: [String: [(span: Int, position: Int)]] = [:]
            var tools: [String: [Int]] = [:]
            for (span, position) in structure.endedInferences {
                let inference = InferenceSpan(structure, span: span, turnIndex: position)
                if InferenceCost.isUnpriced(inference, prices: prices), let model = inference.model { unpriced.insert(model) }
                if let id = structure.spans[span].queryID { inferences[id, default: []].append((span, position)) }
            }
            for span in structure.toolCallsInRecordOrder {
                if let id = structure.spans[span].queryID { tools[id, default: []].append(span) }
            }
            var queries: [String: Int] = [:]
            var turnInferences: [String: [Int]] = [:]
            var unfinished: [String: Int] = [:]
            for (index, query) in structure.queries.enumerated() {
                if queries[query.queryID] == nil { queries[query.queryID] = index }
                turnInferences[query.queryID, default: []] += query.turns.map(\.inference)
            }
            for span in structure.spans where span.state != .finished {
                if let id = span.queryID { unfinished[id, default: 0] += 1 }
            }
            let runID = AnalysisValue.string(structure.runID)
            for row in run.result.queries {
                let id = row["query_id"]?.stringValue
                rows.append(augmented(
                    row.leading("run_id", runID), query: id.flatMap { queries[$0] }.map { structure.queries[$0] },
                    turns: (id.flatMap { turnInferences[$0] } ?? []).map { structure.spans[$0].usage },
                    unfinished: id.flatMap { unfinished[$0] } ?? 0,
                    inferences: (id.flatMap { inferences[$0] } ?? []).map {
                        InferenceSpan(structure, span: $0.span, turnIndex: $0.position)
                    },
                    tools: (id.flatMap { tools[$0] } ?? []).map { ToolCallSpan(structure, span: $0) },
                    prices: prices, energyColumn: energyColumn))
            }
        }
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes))
    }

    /// One query row with the added columns.
    static func augmented(
        _ row: AnalysisRow, query: StructureQuery? = nil, turns: [(prompt: Int64?, completion: Int64?)] = [],
        unfinished: Int = 0,
        inferences: [InferenceSpan], tools: [ToolCallSpan], prices: PriceTable, energyColumn: String
    ) -> AnalysisRow {
        let withoutUsage = turns.filter { $0.prompt == nil || $0.completion == nil }.count
        let outputTotal = KnownSum.ints(turns.map(\.completion)).total
        var cost = CostSum()
        for span in inferences { cost.add(span, prices: prices) }
        // The set's columns once, in order, the replaced ones in place and
        // the added ones after their neighbours; then the added columns the
        // set lacks, and the view's own (one copy of the row, exactly sized).
        var names: [String] = []
        var values: [AnalysisValue] = []
        names.reserveCapacity(row.count + 18)
        values.reserveCapacity(row.count + 18)
        func add(_ name: String, _ value: AnalysisValue) {
            names.append(name)
            values.append(value)
        }
        var seen: UInt8 = 0
        for (name, value) in zip(row.names, row.values) {
            switch name {
            case "completed":
                add(name, value)
                add("status", .string(query?.status))
                add("error", .string(query?.error))
                seen |= 1
            case "total_input_tokens":
                add(name, KnownSum.ints(turns.map(\.prompt)).total)
                seen |= 2
            case "total_output_tokens":
                add(name, outputTotal)
                add("calls_without_usage", .int(Int64(withoutUsage)))
                seen |= 4
            case "total_cost_usd":
                add(name, .double(cost.knownUSD))
                add("unpriced_calls", .int(Int64(cost.unknownCount)))
                seen |= 8
            default:
                add(name, value)
            }
        }
        /// Sets a column already added, or adds it.
        func set(_ name: String, _ value: AnalysisValue) {
            if let index = names.firstIndex(of: name) { values[index] = value } else { add(name, value) }
        }
        if seen & 1 == 0 {
            set("status", .string(query?.status))
            set("error", .string(query?.error))
        }
        if seen & 2 == 0 { set("total_input_tokens", KnownSum.ints(turns.map(\.prompt)).total) }
        if seen & 4 == 0 {
            set("total_output_tokens", outputTotal)
            set("calls_without_usage", .int(Int64(withoutUsage)))
        }
        if seen & 8 == 0 {
            set("total_cost_usd", .double(cost.knownUSD))
            set("unpriced_calls", .int(Int64(cost.unknownCount)))
        }

        let energy = row[energyColumn]?.doubleValue
        let outputTokens = withoutUsage == 0 ? outputTotal.intValue : nil
        set("energy_per_output_token_joules", .double(Self.perToken(energy, outputTokens)))

        let inferenceLatency = KnownSum.doubles(inferences.map(\.latencySeconds))
        let toolLatency = KnownSum.doubles(tools.map(\.latencySeconds))
        set("inference_latency_s", inferenceLatency.total)
        set("tool_latency_s", toolLatency.total)
        set("unfinished_calls", .int(Int64(unfinished)))
        var msPerToken: Double?
        var tokensPerSecond: Double?
        if inferenceLatency.unknown == 0, unfinished == 0, withoutUsage == 0, let seconds = inferenceLatency.total.doubleValue, seconds > 0,
           let tokens = StrictSum.ints(inferences.map(\.completionTokens)), tokens > 0 {
            msPerToken = seconds * 1000 / Double(tokens)
            tokensPerSecond = Double(tokens) / seconds
        }
        set("inference_ms_per_output_token", .double(msPerToken))
        set("inference_output_tokens_per_s", .double(tokensPerSecond))
        set("resolved", query?.resolved.map(AnalysisValue.bool) ?? .null)
        set("score", .double(query?.score))
        set("labels", .object((query?.labels ?? []).map { ($0.key, AnalysisValue.string($0.value)) }))
        return AnalysisRow(names: names, values: values)
    }

    /// Energy divided by tokens, when both are known, finite and positive tokens.
    static func perToken(_ energy: Double?, _ tokens: Int64?) -> Double? {
        guard let energy, energy.isFinite, let tokens, tokens > 0 else { return nil }
        return energy / Double(tokens)
    }
}
