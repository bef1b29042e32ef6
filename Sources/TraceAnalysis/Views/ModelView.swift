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
        var groups: [String: [InferenceSpan]] = [:]
        func flush(_ runID: String) {
            rows += groups.keys.sorted(by: utf8Precedes).map { name in
                row(run: runID, model: name, spans: groups[name] ?? [], prices: prices, energy: energy)
            }
            groups = [:]
        }
        for run in runs {
            let spans = RunSpans(run)
            diagnostics += spans.diagnostics
            for span in spans.inferences {
                groups[span.model ?? "unknown", default: []].append(span)
                if InferenceCost.isUnpriced(span, prices: prices), let model = span.model { unpriced.insert(model) }
            }
            if !poolRuns { flush(run.runID) }
        }
        if poolRuns { flush(pooledRunID) }
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes), diagnostics: diagnostics)
    }

    /// One group's row.
    static func row(
        run: String, model name: String, spans: [InferenceSpan], prices: PriceTable, energy: SpanEnergy
    ) -> AnalysisRow {
        var cost = CostSum()
        for span in spans { cost.add(span, prices: prices) }
        let energies = KnownSum.doubles(spans.map { energy.gpuJoules($0.reference) })
        return AnalysisRow([
            ("run_id", .string(run)),
            ("model", .string(name)),
            ("calls", .int(Int64(spans.count))),
            ("input_tokens", KnownSum.ints(spans.map(\.promptTokens)).total),
            ("output_tokens", KnownSum.ints(spans.map(\.completionTokens)).total),
            ("cached_tokens", KnownSum.ints(spans.map(\.cachedTokens)).total),
            ("calls_without_usage", .int(Int64(spans.filter { $0.promptTokens == nil || $0.completionTokens == nil }.count))),
            ("cost_usd", .double(cost.knownUSD)),
            ("unpriced_calls", .int(Int64(cost.unknownCount))),
            ("gpu_energy_joules", energies.total),
            ("calls_without_energy", energies.unknownValue),
        ])
    }
}
