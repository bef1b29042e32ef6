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
        rows.reserveCapacity(runs.reduce(0) { $0 + $1.result.queries.count })
        var unpriced = Set<String>()
        // Rows of one shape get their columns laid out once.
        var plan: Plan?
        for run in runs {
            let structure = run.structure
            let spans = structure.spans
            for span in spans where span.kind == .inference && span.endSequence != nil {
                if InferenceCost.isUnpriced(model: span.model, providerCostUSD: span.costUSD, prices: prices),
                   let model = span.model {
                    unpriced.insert(model)
                }
            }
            let groups = QueryGroups(structure)
            let runID = AnalysisValue.string(structure.runID)
            for row in run.result.queries {
                if plan?.fits(row) != true { plan = Plan(row, energyColumn: energyColumn) }
                let group = row["query_id"]?.stringValue.flatMap(groups.group(of:))
                var derived = Derived()
                if let group {
                    let members = groups.queries(of: group)
                    let query = members.first.map { structure.queries[$0] }
                    derived.query(query)
                    var prompts = KnownSum.Accumulator()
                    var completions = KnownSum.Accumulator()
                    var withoutUsage = 0
                    for q in members {
                        for turn in structure.queries[q].turns {
                            let usage = spans[turn.inference].usage
                            prompts.add(usage.prompt)
                            completions.add(usage.completion)
                            if usage.prompt == nil || usage.completion == nil { withoutUsage += 1 }
                        }
                    }
                    var cost = CostSum()
                    var inferenceLatency = KnownSum.DoubleAccumulator()
                    var tokens = StrictSum.IntAccumulator()
                    for index in groups.endedInferences(of: group) {
                        let span = spans[index]
                        cost.add(
                            providerCostUSD: span.costUSD, model: span.model, promptTokens: span.promptTokens,
                            completionTokens: span.completionTokens, cachedTokens: span.cachedTokens, prices: prices)
                        inferenceLatency.add(span.latencySeconds)
                        tokens.add(span.completionTokens)
                    }
                    var toolLatency = KnownSum.DoubleAccumulator()
                    for index in groups.toolCalls(of: group) { toolLatency.add(spans[index].latencySeconds) }
                    derived.totals(
                        prompts: prompts.sum, completions: completions.sum, withoutUsage: withoutUsage, cost: cost,
                        inferenceLatency: inferenceLatency.sum, toolLatency: toolLatency.sum,
                        unfinished: groups.unfinished[group], completionTokens: tokens.sum)
                } else {
                    derived.totals(
                        prompts: KnownSum.ints([]), completions: KnownSum.ints([]), withoutUsage: 0, cost: CostSum(),
                        inferenceLatency: KnownSum.doubles([]), toolLatency: KnownSum.doubles([]), unfinished: 0,
                        completionTokens: 0)
                }
                rows.append(plan!.row(row, runID: runID, derived: derived))
            }
        }
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes))
    }

    /// The columns the view adds, computed for one row.
    struct Derived {
        var query: StructureQuery?
        var values = [AnalysisValue](repeating: .null, count: Added.allCases.count)

        subscript(column: Added) -> AnalysisValue { values[column.rawValue] }

        mutating func query(_ query: StructureQuery?) { self.query = query }

        /// Fills every added column from the query's totals.
        mutating func totals(
            prompts: KnownSum, completions: KnownSum, withoutUsage: Int, cost: CostSum, inferenceLatency: KnownSum,
            toolLatency: KnownSum, unfinished: Int, completionTokens: Int64?
        ) {
            func put(_ column: Added, _ value: AnalysisValue) { values[column.rawValue] = value }
            put(.status, .string(query?.status))
            put(.error, .string(query?.error))
            put(.inputTokens, prompts.total)
            put(.outputTokens, completions.total)
            put(.callsWithoutUsage, .int(Int64(withoutUsage)))
            put(.cost, .double(cost.knownUSD))
            put(.unpricedCalls, .int(Int64(cost.unknownCount)))
            put(.inferenceLatency, inferenceLatency.total)
            put(.toolLatency, toolLatency.total)
            put(.unfinishedCalls, .int(Int64(unfinished)))
            var msPerToken: Double?
            var tokensPerSecond: Double?
            if inferenceLatency.unknown == 0, unfinished == 0, withoutUsage == 0,
               let seconds = inferenceLatency.total.doubleValue, seconds > 0,
               let tokens = completionTokens, tokens > 0 {
                msPerToken = seconds * 1000 / Double(tokens)
                tokensPerSecond = Double(tokens) / seconds
            }
            put(.msPerToken, .double(msPerToken))
            put(.tokensPerSecond, .double(tokensPerSecond))
            put(.resolved, query?.resolved.map(AnalysisValue.bool) ?? .null)
            put(.score, .double(query?.score))
            put(.labels, .object((query?.labels ?? []).map { ($0.key, AnalysisValue.string($0.value)) }))
            outputTokens = withoutUsage == 0 ? completions.total.intValue : nil
        }

        /// The output tokens the per-token energy divides by: the total,
        /// when every inference has usage.
        var outputTokens: Int64?
    }

    /// The columns the view computes.
    enum Added: Int, CaseIterable {
        case status, error, inputTokens, outputTokens, callsWithoutUsage, cost, unpricedCalls, energyPerToken,
             inferenceLatency, toolLatency, unfinishedCalls, msPerToken, tokensPerSecond, resolved, score, labels
    }

    /// Where each value of an augmented row comes from, worked out once for
    /// a shape of the set's rows: the set's columns once, in order, the
    /// replaced ones in place and the added ones after their neighbours;
    /// then the added columns the set lacks (a column the set already has
    /// is set in place).
    struct Plan {
        enum Source {
            case runID
            case set(Int)
            case added(Added)
        }
        /// The set's column names this plan is for.
        let input: [String]
        /// The augmented row's names.
        let names: [String]
        let sources: [Source]
        /// The position of the energy column among the set's columns.
        let energy: Int?

        /// Whether `row` has the columns this plan was made for.
        func fits(_ row: AnalysisRow) -> Bool { row.hasColumns(input) }

        init(_ row: AnalysisRow, energyColumn: String) {
            input = row.names
            energy = row.index(of: energyColumn)
            var names: [String] = []
            var sources: [Source] = []
            func add(_ name: String, _ source: Source) {
                names.append(name)
                sources.append(source)
            }
            // The row as `leading("run_id", …)` makes it.
            if row.index(of: "run_id") == nil { add("run_id", .runID) }
            var seen: UInt8 = 0
            for (position, name) in row.names.enumerated() {
                switch name {
                case "completed":
                    add(name, .set(position))
                    add("status", .added(.status))
                    add("error", .added(.error))
                    seen |= 1
                case "total_input_tokens":
                    add(name, .added(.inputTokens))
                    seen |= 2
                case "total_output_tokens":
                    add(name, .added(.outputTokens))
                    add("calls_without_usage", .added(.callsWithoutUsage))
                    seen |= 4
                case "total_cost_usd":
                    add(name, .added(.cost))
                    add("unpriced_calls", .added(.unpricedCalls))
                    seen |= 8
                default:
                    add(name, .set(position))
                }
            }
            func set(_ name: String, _ column: Added) {
                if let index = names.firstIndex(of: name) { sources[index] = .added(column) } else { add(name, .added(column)) }
            }
            if seen & 1 == 0 {
                set("status", .status)
                set("error", .error)
            }
            if seen & 2 == 0 { set("total_input_tokens", .inputTokens) }
            if seen & 4 == 0 {
                set("total_output_tokens", .outputTokens)
                set("calls_without_usage", .callsWithoutUsage)
            }
            if seen & 8 == 0 {
                set("total_cost_usd", .cost)
                set("unpriced_calls", .unpricedCalls)
            }
            set("energy_per_output_token_joules", .energyPerToken)
            set("inference_latency_s", .inferenceLatency)
            set("tool_latency_s", .toolLatency)
            set("unfinished_calls", .unfinishedCalls)
            set("inference_ms_per_output_token", .msPerToken)
            set("inference_output_tokens_per_s", .tokensPerSecond)
            set("resolved", .resolved)
            set("score", .score)
            set("labels", .labels)
            self.names = RowShapes.shared(names)
            self.sources = sources
        }

        /// One augmented row (its values in one array of exactly its size).
        func row(_ row: AnalysisRow, runID: AnalysisValue, derived: Derived) -> AnalysisRow {
            var values: [AnalysisValue] = []
            values.reserveCapacity(sources.count)
            let energy = self.energy.map { row.values[$0].doubleValue } ?? nil
            for source in sources {
                switch source {
                case .runID: values.append(runID)
                case .set(let position): values.append(row.values[position])
                case .added(.energyPerToken):
                    values.append(.double(QueryView.perToken(energy, derived.outputTokens)))
                case .added(let column): values.append(derived[column])
                }
            }
            return AnalysisRow(shape: names, values: values)
        }
    }

    /// Energy divided by tokens, when both are known, finite and positive tokens.
    static func perToken(_ energy: Double?, _ tokens: Int64?) -> Double? {
        guard let energy, energy.isFinite, let tokens, tokens > 0 else { return nil }
        return energy / Double(tokens)
    }
}
