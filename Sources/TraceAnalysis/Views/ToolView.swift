/// `--by tool`: one row per run and tool name, over every call of the run.
///
/// Columns: `run_id`, `tool`, `calls` (starts and ends, a call never ended included),
/// `errors` (calls whose end says `ok: false` or carries an error),
/// `latency_p50_s`, `latency_p95_s` (nearest-rank percentiles, see
/// ``Percentile``, of the per-call latencies, each call counted, calls
/// without a latency excluded; `null` when none has one),
/// `gpu_energy_joules` (the sum of the calls' known energies from the
/// ``SpanEnergy`` given; `null` only when no call's is known),
/// `calls_without_energy` (calls whose energy is unknown).
///
/// Rows come in run order, each run's sorted by tool name (UTF-8 bytes):
/// rows of several runs are told apart by `run_id`. With `poolRuns`, one
/// row per tool name over every run, its `run_id` ``pooledRunID`` (`*`).
public enum ToolView {
    /// The rows of the tool view for several runs, one group per run and tool.
    public static func rows(_ runs: [RunEvents], energy: SpanEnergy = .unknown, poolRuns: Bool = false) -> ViewResult {
        rows(runs.map(RunStructure.init), energy: energy, poolRuns: poolRuns)
    }

    /// The rows of the tool view for the structures of several runs.
    public static func rows(_ runs: [RunStructure], energy: SpanEnergy = .unknown, poolRuns: Bool = false) -> ViewResult {
        var rows: [AnalysisRow] = []
        var diagnostics: [AnalysisDiagnostic] = []
        var groups: [String: [ToolCallSpan]] = [:]
        func flush(_ runID: String) {
            rows += groups.keys.sorted(by: utf8Precedes).map { name in
                row(run: runID, tool: name, calls: groups[name] ?? [], energy: energy)
            }
            groups = [:]
        }
        for run in runs {
            let spans = RunSpans(run)
            diagnostics += spans.diagnostics
            for call in spans.toolCalls { groups[call.tool, default: []].append(call) }
            if !poolRuns { flush(run.runID) }
        }
        if poolRuns { flush(pooledRunID) }
        return ViewResult(rows: rows, diagnostics: diagnostics)
    }

    /// One group's row.
    static func row(run: String, tool name: String, calls: [ToolCallSpan], energy: SpanEnergy) -> AnalysisRow {
        let latencies = calls.map(\.latencySeconds)
        let energies = KnownSum.doubles(calls.map { energy.gpuJoules($0.reference) })
        return AnalysisRow([
            ("run_id", .string(run)),
            ("tool", .string(name)),
            ("calls", .int(Int64(calls.count))),
            ("errors", .int(Int64(calls.filter(\.failed).count))),
            ("latency_p50_s", .double(Percentile.nearestRank(50, of: latencies))),
            ("latency_p95_s", .double(Percentile.nearestRank(95, of: latencies))),
            ("gpu_energy_joules", energies.total),
            ("calls_without_energy", energies.unknownValue),
        ])
    }
}
