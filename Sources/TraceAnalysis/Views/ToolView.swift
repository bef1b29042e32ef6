/// `--by tool`: one row per tool name, over every call of every run.
///
/// Columns: `tool`, `calls` (starts and ends, a call never ended included),
/// `errors` (calls whose end says `ok: false` or carries an error),
/// `latency_p50_s`, `latency_p95_s` (nearest-rank percentiles, see
/// ``Percentile``, of the per-call latencies, each call counted, calls
/// without a latency excluded; `null` when none has one),
/// `gpu_energy_joules` (the sum of the calls' energies from the
/// ``SpanEnergy`` given; `null` when any call's is unknown).
///
/// Rows are sorted by tool name (UTF-8 bytes).
public enum ToolView {
    /// The rows of the tool view for several runs, grouped across runs.
    public static func rows(_ runs: [RunEvents], energy: SpanEnergy = .unknown) -> ViewResult {
        rows(runs.map(RunStructure.init), energy: energy)
    }

    /// The rows of the tool view for the structures of several runs.
    public static func rows(_ runs: [RunStructure], energy: SpanEnergy = .unknown) -> ViewResult {
        var groups: [String: [ToolCallSpan]] = [:]
        var diagnostics: [AnalysisDiagnostic] = []
        for run in runs {
            let spans = RunSpans(run)
            diagnostics += spans.diagnostics
            for call in spans.toolCalls { groups[call.tool, default: []].append(call) }
        }
        let rows = groups.keys.sorted(by: utf8Precedes).map { name in
            let calls = groups[name] ?? []
            let latencies = calls.map(\.latencySeconds)
            return AnalysisRow([
                ("tool", .string(name)),
                ("calls", .int(Int64(calls.count))),
                ("errors", .int(Int64(calls.filter(\.failed).count))),
                ("latency_p50_s", .double(Percentile.nearestRank(50, of: latencies))),
                ("latency_p95_s", .double(Percentile.nearestRank(95, of: latencies))),
                ("gpu_energy_joules", .double(StrictSum.doubles(calls.map { energy.gpuJoules($0.reference) }))),
            ])
        }
        return ViewResult(rows: rows, diagnostics: diagnostics)
    }
}
