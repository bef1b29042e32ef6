/// `--by model`: one row per model, over every inference of every run.
///
/// The model of an inference is ``InferenceSpan/model`` (routed model, else
/// requested); inferences naming none are grouped under `unknown`.
///
/// Columns: `model`, `calls` (inference ends), `input_tokens`,
/// `output_tokens`, `cached_tokens` (sums; `null` when any call's count is
/// unknown), `cost_usd` (see ``InferenceCost``: provider cost, else the
/// price table; `null` when any call's cost is unknown, e.g. an unpriced
/// model), `gpu_energy_joules` (sum from the ``SpanEnergy`` given; `null`
/// when any call's is unknown).
///
/// Rows are sorted by model name (UTF-8 bytes). Unpriced models are listed
/// once in ``ViewResult/unpricedModels``.
public enum ModelView {
    /// The rows of the model view for several runs, grouped across runs.
    public static func rows(_ runs: [RunEvents], prices: PriceTable, energy: SpanEnergy = .unknown) -> ViewResult {
        rows(runs.map(RunStructure.init), prices: prices, energy: energy)
    }

    /// The rows of the model view for the structures of several runs.
    public static func rows(_ runs: [RunStructure], prices: PriceTable, energy: SpanEnergy = .unknown) -> ViewResult {
        var groups: [String: [InferenceSpan]] = [:]
        var diagnostics: [AnalysisDiagnostic] = []
        var unpriced = Set<String>()
        for run in runs {
            let spans = RunSpans(run)
            diagnostics += spans.diagnostics
            for span in spans.inferences {
                groups[span.model ?? "unknown", default: []].append(span)
                if InferenceCost.isUnpriced(span, prices: prices), let model = span.model { unpriced.insert(model) }
            }
        }
        let rows = groups.keys.sorted(by: utf8Precedes).map { name in
            let spans = groups[name] ?? []
            var cost = CostSum()
            for span in spans { cost.add(span, prices: prices) }
            return AnalysisRow([
                ("model", .string(name)),
                ("calls", .int(Int64(spans.count))),
                ("input_tokens", .int(StrictSum.ints(spans.map(\.promptTokens)))),
                ("output_tokens", .int(StrictSum.ints(spans.map(\.completionTokens)))),
                ("cached_tokens", .int(StrictSum.ints(spans.map(\.cachedTokens)))),
                ("cost_usd", .double(cost.usd)),
                ("gpu_energy_joules", .double(StrictSum.doubles(spans.map { energy.gpuJoules($0.reference) }))),
            ])
        }
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes), diagnostics: diagnostics)
    }
}
