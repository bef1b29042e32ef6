/// `--by model`: one row per run and model, over every inference of the run.
///
/// The model of an inference is ``InferenceSpan/model`` (routed model, else
/// requested); inferences naming none are grouped under `unknown`.
///
/// Columns: `run_id`, `model`, `calls` (inference ends), `input_tokens`,
/// `output_tokens`, `cached_tokens` (sums of the calls' known counts),
/// `calls_without_usage` (calls missing the input or output count: a call
/// that raised, or never ended), `cost_usd` (see ``InferenceCost``:
/// provider cost, else the price table; the sum of the known costs),
/// `unpriced_calls` (calls whose cost is unknown, e.g. an unpriced model or
/// no token counts), `gpu_energy_joules` (sum of the known energies from the
/// ``SpanEnergy`` given), `calls_without_energy`. A total is `null` only
/// when no call of the group has the value (``KnownSum``): one call without
/// usage no longer blanks the group.
///
/// Rows come in run order, each run's sorted by model name (UTF-8 bytes):
/// rows of several runs are told apart by `run_id`. With `poolRuns`, one
/// row per model over every run, its `run_id` ``pooledRunID`` (`*`). Unpriced models are listed
/// once in ``ViewResult/unpricedModels``.
public enum ModelView {
    /// The rows of the model view for several runs, grouped across runs.
    public static func rows(
        _ runs: [RunEvents], prices: PriceTable, energy: SpanEnergy = .unknown, poolRuns: Bool = false
    ) -> ViewResult {
        rows(runs.map(RunStructure.init), prices: prices, energy: energy, poolRuns: poolRuns)
    }

    /// The rows of the model view for the structures of several runs.
    public static func rows(
        _ runs: [RunStructure], prices: PriceTable, energy: SpanEnergy = .unknown, poolRuns: Bool = false
    ) -> ViewResult {
        var rows: [AnalysisRow] = []
        var diagnostics: [AnalysisDiagnostic] = []
        var unpriced = Set<String>()
        // Each model's sums, added to as its calls are met (no copy of the
        // calls is kept).
        var groups: [String: Totals] = [:]
        func flush(_ runID: String) {
            rows += groups.keys.sorted(by: utf8Precedes).map { name in
                groups[name, default: Totals()].row(run: runID, model: name)
            }
            groups = [:]
        }
        for run in runs {
            diagnostics += run.diagnostics
            for ended in run.endedInferences {
                let span = InferenceSpan(run, span: ended.span, turnIndex: ended.position)
                groups[span.model ?? "unknown", default: Totals()].add(span, prices: prices, energy: energy)
                if InferenceCost.isUnpriced(span, prices: prices), let model = span.model { unpriced.insert(model) }
            }
            if !poolRuns { flush(run.runID) }
        }
        if poolRuns { flush(pooledRunID) }
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes), diagnostics: diagnostics)
    }

    /// The sums of one model's calls, in the order the calls are added.
    struct Totals {
        var calls: Int64 = 0
        var input = KnownSum.Accumulator()
        var output = KnownSum.Accumulator()
        var cached = KnownSum.Accumulator()
        var withoutUsage: Int64 = 0
        var cost = CostSum()
        var energy = KnownSum.DoubleAccumulator()

        /// Adds one call.
        mutating func add(_ span: InferenceSpan, prices: PriceTable, energy spanEnergy: SpanEnergy) {
            calls += 1
            input.add(span.promptTokens)
            output.add(span.completionTokens)
            cached.add(span.cachedTokens)
            if span.promptTokens == nil || span.completionTokens == nil { withoutUsage += 1 }
            cost.add(span, prices: prices)
            energy.add(spanEnergy.gpuJoules(span.reference))
        }

        /// The group's row.
        func row(run: String, model name: String) -> AnalysisRow {
            let energies = energy.sum
            return AnalysisRow([
                ("run_id", .string(run)),
                ("model", .string(name)),
                ("calls", .int(calls)),
                ("input_tokens", input.sum.total),
                ("output_tokens", output.sum.total),
                ("cached_tokens", cached.sum.total),
                ("calls_without_usage", .int(withoutUsage)),
                ("cost_usd", .double(cost.knownUSD)),
                ("unpriced_calls", .int(Int64(cost.unknownCount))),
                ("gpu_energy_joules", energies.total),
                ("calls_without_energy", energies.unknownValue),
            ])
        }
    }
}
