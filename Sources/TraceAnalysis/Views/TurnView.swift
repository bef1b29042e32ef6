/// `--by turn`: a metric set's turn rows, with model, cost and latency
/// columns added, for several runs (rows of the first run first).
///
/// Each row is joined to its inference by span: a set that names the
/// inference of each turn row (``AnalysisResult/turnInferences``, as the
/// `default` set does) is joined through that reference to the run's
/// ``RunStructure``, so an unfinished inference (a timeout before a retry)
/// keeps its own row and shifts nothing. For other sets, a row
/// (`query_id`, `turn_index`) is joined to the `turn_index`-th inference
/// end (0-based) of that query, the turn convention of turn-per-inference
/// sets such as `ipw`; a turn with no such inference (e.g. `ipw`'s
/// synthetic turn) gets `null`s.
///
/// Every row starts with its run's `run_id` (so rows of several runs are
/// told apart). Added columns: `model`, `cost_usd` (see ``InferenceCost``),
/// `inference_latency_s` (end − start), `ttft_s` (time to first token, when
/// recorded), `inference_ms_per_output_token`, `inference_output_tokens_per_s` (over the
/// inference latency, see ``InferenceSpan``), `energy_per_output_token_joules`
/// (the row's energy column, by default `gpu_energy_joules`, over the
/// inference's completion tokens). A column the set already has is replaced
/// in place. Failures are marked in the `flags` column (when the set has
/// one): `inference:unfinished` for an inference that never ended (its
/// latency, tokens and cost are `null`), `inference:error` for one whose end
/// carries an error or a failed status, `tool:error` when a tool call of
/// the turn failed (`ok: false` or an error). An `error` column holds the
/// inference's error text, else the first failed call's as `TOOL: TEXT`.
public enum TurnView {
    /// The augmented turn rows of several runs.
    public static func rows(
        _ runs: [AnalyzedRun], prices: PriceTable, energyColumn: String = "gpu_energy_joules"
    ) -> ViewResult {
        var runs = runs
        return rows(taking: &runs, prices: prices, energyColumn: energyColumn)
    }

    /// The augmented turn rows of several runs, taking the set's turn rows
    /// out of `runs` one at a time: where `runs` holds the only reference
    /// to them, each goes as its view row is made, so the two are never
    /// held whole at once. The same rows as ``rows(_:prices:energyColumn:)``.
    package static func rows(
        taking runs: inout [AnalyzedRun], prices: PriceTable, energyColumn: String = "gpu_energy_joules"
    ) -> ViewResult {
        var rows: [AnalysisRow] = []
        rows.reserveCapacity(runs.reduce(0) { $0 + $1.result.turns.count })
        var unpriced = Set<String>()
        for runIndex in runs.indices {
            let structure = runs[runIndex].structure
            for (span, position) in structure.endedInferences {
                let inference = InferenceSpan(structure, span: span, turnIndex: position)
                if InferenceCost.isUnpriced(inference, prices: prices), let model = inference.model { unpriced.insert(model) }
            }
            let join = Join(runs[runIndex])
            // Each turn's tool calls, by its inference.
            var turnTools: [Int: [Int]] = [:]
            for query in structure.queries {
                for turn in query.turns { turnTools[turn.inference, default: []] += turn.tools }
            }
            let runID = AnalysisValue.string(structure.runID)
            var setRows: [AnalysisRow] = []
            swap(&setRows, &runs[runIndex].result.turns)
            for index in setRows.indices {
                let row = setRows[index]
                setRows[index] = AnalysisRow(shape: [], values: [])
                let span = join.inference(of: row, at: index)
                let inference = span.map { InferenceSpan(structure, span: $0, turnIndex: 0) }
                var columns: [(name: String, value: AnalysisValue)] = [
                    ("model", .string(inference?.model)),
                    ("cost_usd", .double(inference.flatMap { InferenceCost.usd(of: $0, prices: prices) })),
                    ("inference_latency_s", .double(inference?.latencySeconds)),
                    ("ttft_s", .double(inference?.timeToFirstTokenSeconds.flatMap { $0.isFinite ? $0 : nil })),
                    ("inference_ms_per_output_token", .double(inference?.msPerOutputToken)),
                    ("inference_output_tokens_per_s", .double(inference?.outputTokensPerSecond)),
                    ("energy_per_output_token_joules", .double(
                        QueryView.perToken(row[energyColumn]?.doubleValue, inference?.completionTokens))),
                ]
                var marks: [String] = []
                var error: String?
                if let span {
                    let inference = structure.spans[span]
                    if inference.state == .unfinished { marks.append("inference:unfinished") }
                    if inference.failed {
                        marks.append("inference:error")
                        error = inference.error.flatMap { $0.isEmpty ? nil : $0 }
                    }
                    let failedTools = (turnTools[span] ?? []).map { structure.spans[$0] }.filter(\.failed)
                    if let first = failedTools.first {
                        marks.append("tool:error")
                        if error == nil { error = first.toolName + ": " + (first.error ?? "failed") }
                    }
                }
                if !marks.isEmpty, case .strings(let flags)? = row["flags"] { columns.append(("flags", .strings(flags + marks))) }
                columns.append(("error", .string(error)))
                // One row of exactly its size, not one per added column.
                rows.append(row.updating(leading: ("run_id", runID), columns))
            }
        }
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes))
    }

    /// How a run's turn rows find their inferences: by the set's references
    /// when it gives one per row, else by the `ipw` convention.
    struct Join {
        var byReference: Bool
        var references: [SpanReference]
        var starts: [UInt64: Int] = [:]
        var endedByQuery: [String: [Int]] = [:]

        init(_ run: AnalyzedRun) {
            let result = run.result
            byReference = result.turnInferences.count == result.turns.count
            if byReference {
                references = result.turnInferences
                starts = run.structure.inferenceStarts
            } else {
                references = []
                endedByQuery = run.structure.endedInferencesByQuery
            }
        }

        /// The structure span of turn row `index`, if any.
        func inference(of row: AnalysisRow, at index: Int) -> Int? {
            if byReference {
                guard index < references.count, let sequence = references[index].startSequence else { return nil }
                return starts[sequence]
            }
            guard let id = row["query_id"]?.stringValue, let turn = row["turn_index"]?.intValue,
                  let spans = endedByQuery[id], turn >= 0, turn < spans.count else { return nil }
            return spans[Int(turn)]
        }
    }
}
