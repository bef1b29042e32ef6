/// `--by turn`: a metric set's turn rows, with model, cost and latency
/// columns added, for several runs (rows of the first run first).
///
/// A turn row (`query_id`, `turn_index`) is matched to the `turn_index`-th
/// inference end (0-based) attributed to that query, the turn convention
/// of turn-per-inference sets such as `ipw`; a turn with no such inference
/// (e.g. `ipw`'s synthetic turn) gets `null`s. Added columns:
/// `model`, `cost_usd` (see ``InferenceCost``), `inference_latency_s`
/// (end − start), `ttft_s` (time to first token, when recorded),
/// `ms_per_output_token`, `output_tokens_per_s` (over the inference
/// latency, see ``InferenceSpan``), `energy_per_output_token_joules` (the
/// row's energy column, by default `gpu_energy_joules`, over the inference's
/// completion tokens). A column the set already has is replaced in place.
public enum TurnView {
    /// The augmented turn rows of several runs.
    public static func rows(
        _ runs: [AnalyzedRun], prices: PriceTable, energyColumn: String = "gpu_energy_joules"
    ) -> ViewResult {
        var rows: [AnalysisRow] = []
        var unpriced = Set<String>()
        for run in runs {
            let spans = RunSpans(run.events)
            var byTurn: [String: [Int: InferenceSpan]] = [:]
            for span in spans.inferences {
                if InferenceCost.isUnpriced(span, prices: prices), let model = span.model { unpriced.insert(model) }
                guard let id = span.reference.queryID else { continue }
                if byTurn[id]?[span.turnIndex] == nil { byTurn[id, default: [:]][span.turnIndex] = span }
            }
            for row in run.result.turns {
                var span: InferenceSpan?
                if let id = row["query_id"]?.stringValue, let index = row["turn_index"]?.intValue {
                    span = byTurn[id]?[Int(index)]
                }
                var out = row
                out.set("model", .string(span?.model))
                out.set("cost_usd", .double(span.flatMap { InferenceCost.usd(of: $0, prices: prices) }))
                out.set("inference_latency_s", .double(span?.latencySeconds))
                out.set("ttft_s", .double(span?.timeToFirstTokenSeconds.flatMap { $0.isFinite ? $0 : nil }))
                out.set("ms_per_output_token", .double(span?.msPerOutputToken))
                out.set("output_tokens_per_s", .double(span?.outputTokensPerSecond))
                out.set("energy_per_output_token_joules", .double(
                    QueryView.perToken(row[energyColumn]?.doubleValue, span?.completionTokens)))
                rows.append(out)
            }
        }
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes))
    }
}
