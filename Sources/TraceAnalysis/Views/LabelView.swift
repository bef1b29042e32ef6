import TraceLog

/// `--by label:KEY` (e.g. `label:data_id`): the query rows of
/// ``QueryView`` grouped, run by run, by the value of one label.
///
/// A query's label value is that of the first label named KEY on its query
/// start, else on its run's run start (so run labels such as `scenario` or
/// `trial` group too); queries without it form one group whose value is
/// `null`, listed last. Rows come in run order; a run's groups are sorted by
/// value (UTF-8 bytes): rows of several runs are told apart by `run_id`.
/// With `poolRuns`, the queries of every run are grouped together (one row
/// per value, e.g. accuracy per `data_id` over several trials), `run_id`
/// ``pooledRunID`` (`*`).
///
/// Columns:
/// - `run_id`, KEY itself (the column is named after the key), `queries`,
///   `n_scored` (the queries with an outcome, those the accuracy is over).
/// - Every numeric column of the query rows whose name starts with `total_`
///   (tokens, cost, energy, wall clock…), in order of first appearance,
///   summed over the group's known values (``KnownSum``: `null` only when no
///   query of the group has the value). Integers stay integers. Beside them
///   `calls_without_usage` and `unpriced_calls` (summed from the query rows)
///   and `queries_without_energy` (queries whose energy column is `null`).
/// - `energy_per_output_token_joules`: the summed energy column (by default
///   `total_gpu_energy_joules`) over the summed `total_output_tokens`, when
///   every query has both.
/// - `accuracy`, `accuracy_per_joule`, `accuracy_per_watt`, from the
///   outcomes on the queries' query ends (`null` when no query of the group
///   has one). The definitions follow ipw's:
///   - a query's outcome is 1 when `resolved` is true, 0 when it is false,
///     else its finite `score`; a query with neither is left out of all
///     three, unless it failed (did not complete) and ``FailedQueries/zero``
///     is chosen: then it scores 0;
///   - `accuracy` is the mean outcome over the queries with an outcome;
///   - `accuracy_per_joule` = accuracy / (mean energy per query over those
///     queries whose energy is known), `null` when that mean is not positive;
///   - `accuracy_per_watt` = accuracy / (mean power per query, a query's
///     power being its energy / its wall clock `total_wall_clock_s`, over
///     those queries whose energy is known and wall clock positive), `null`
///     when that mean is not positive.
///
///   Means are exactly rounded (as Python's `statistics.mean`).
///
/// When no query and no run has the label, ``ViewResult/warnings`` says so
/// and lists the label keys the runs have.
public enum LabelView {
    /// How a failed query without an outcome counts in the accuracy.
    public enum FailedQueries: String, Sendable, CaseIterable {
        /// Left out (ipw's definition; ``n_scored`` shows how many are in).
        case exclude
        /// Scored 0.
        case zero
    }

    /// The rows of the label view for a label key.
    public static func rows(
        _ runs: [AnalyzedRun], key: String, prices: PriceTable,
        energyColumn: String = "total_gpu_energy_joules", wallClockColumn: String = "total_wall_clock_s",
        failedQueries: FailedQueries = .exclude, poolRuns: Bool = false
    ) -> ViewResult {
        var unpriced = Set<String>()
        var rows: [AnalysisRow] = []
        var found = false
        var keys = Set<String>()
        var groups: [String?: [Member]] = [:]
        var columnOrder: [String] = []
        var seenColumns = Set<String>()
        func flush(_ runID: String) {
            defer { groups = [:] }
            let values = groups.keys.sorted { a, b in
                switch (a, b) {
                case (let x?, let y?): utf8Precedes(x, y)
                case (.some, nil): true
                default: false
                }
            }
            rows += values.map { value in
                row(runID: runID, key: key, value: value, members: groups[value] ?? [], columnOrder: columnOrder,
                    energyColumn: energyColumn, wallClockColumn: wallClockColumn)
            }
        }
        for run in runs {
            let queries = QueryView.rows([run], prices: prices, energyColumn: energyColumn)
            unpriced.formUnion(queries.unpricedModels)
            let facts = QueryFacts(run.structure, key: key, failedQueries: failedQueries)
            found = found || facts.runLabel != nil || facts.byQuery.values.contains { $0.label != nil }
            for labels in run.structure.runLabels { keys.formUnion(labels.map(\.key)) }
            for query in run.structure.queries { keys.formUnion(query.labels.map(\.key)) }
            for row in queries.rows {
                let id = row["query_id"]?.stringValue
                let fact = id.flatMap { facts.byQuery[$0] }
                let value = fact?.label ?? facts.runLabel
                groups[value, default: []].append(Member(row: row, outcome: fact?.outcome))
                for column in row.columns where column.name.hasPrefix("total_") && seenColumns.insert(column.name).inserted {
                    columnOrder.append(column.name)
                }
            }
            if !poolRuns { flush(run.structure.runID) }
        }
        if poolRuns { flush(pooledRunID) }
        var warnings: [String] = []
        if !found && !runs.isEmpty {
            let known = keys.sorted(by: utf8Precedes)
            warnings.append("no query or run has the label \"\(key)\""
                + (known.isEmpty ? "; the runs have no labels" : "; labels present: " + known.joined(separator: ", ")))
        }
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes), warnings: warnings)
    }

    /// A query of a label group: its row and outcome.
    struct Member {
        var row: AnalysisRow
        var outcome: Double?
    }

    /// One group's row.
    static func row(
        runID: String, key: String, value: String?, members: [Member], columnOrder: [String], energyColumn: String,
        wallClockColumn: String
    ) -> AnalysisRow {
        let scored = members.filter { $0.outcome != nil }
        var columns: [(name: String, value: AnalysisValue)] = [
            ("run_id", .string(runID)),
            (key, .string(value)),
            ("queries", .int(Int64(members.count))),
            ("n_scored", .int(Int64(scored.count))),
        ]
        var complete = true
        for name in columnOrder {
            let sum = KnownSum.values(members.map { $0.row[name] ?? .null })
            if sum.unknown > 0 && (name == energyColumn || name == "total_output_tokens") { complete = false }
            columns.append((name, sum.total))
        }
        for name in ["calls_without_usage", "unpriced_calls"] {
            columns.append((name, KnownSum.values(members.map { $0.row[name] ?? .null }).total))
        }
        columns.append(("queries_without_energy", .int(Int64(members.filter {
            LabelView.finite($0.row[energyColumn]?.doubleValue) == nil
        }.count))))
        let totalEnergy = columns.first { $0.name == energyColumn }?.value.doubleValue
        let totalTokens = columns.first { $0.name == "total_output_tokens" }?.value.intValue
        let withoutUsage = columns.first { $0.name == "calls_without_usage" }?.value.intValue ?? 0
        columns.append(("energy_per_output_token_joules", .double(
            complete && withoutUsage == 0 ? QueryView.perToken(totalEnergy, totalTokens) : nil)))

        let accuracy = exactMean(scored.compactMap(\.outcome))
        let energies = scored.compactMap { finite($0.row[energyColumn]?.doubleValue) }
        let powers: [Double] = scored.compactMap { member in
            guard let energy = finite(member.row[energyColumn]?.doubleValue),
                  let wall = finite(member.row[wallClockColumn]?.doubleValue), wall > 0 else { return nil }
            return energy / wall
        }
        columns.append(("accuracy", .double(accuracy)))
        columns.append(("accuracy_per_joule", .double(ratio(accuracy, exactMean(energies)))))
        columns.append(("accuracy_per_watt", .double(ratio(accuracy, exactMean(powers)))))
        return AnalysisRow(columns)
    }

    /// A finite value, or `nil`.
    static func finite(_ value: Double?) -> Double? {
        value.flatMap { $0.isFinite ? $0 : nil }
    }

    /// `a / b` when both are known and `b` is positive.
    static func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, b > 0 else { return nil }
        return a / b
    }

    /// The strict sum of a column's values: integers when all are integers,
    /// doubles otherwise; `null` when any is not a number.
    static func sum(_ values: [AnalysisValue]) -> AnalysisValue {
        if values.allSatisfy({ $0.intValue != nil }) {
            return .int(StrictSum.ints(values.map(\.intValue)))
        }
        return .double(StrictSum.doubles(values.map(\.doubleValue)))
    }
}

/// The label value and outcome of each query of a run (first window of each
/// query id, as the query windows of ``QuerySplitter`` find them).
struct QueryFacts {
    /// A query's label value and outcome.
    struct Fact {
        var label: String?
        var outcome: Double?
    }

    /// Facts by query id.
    var byQuery: [String: Fact] = [:]
    /// The run start's value of the label, if any.
    var runLabel: String?

    init(_ run: RunStructure, key: String, failedQueries: LabelView.FailedQueries = .exclude) {
        // The first run start that has the label.
        for labels in run.runLabels where runLabel == nil {
            runLabel = labels.first { $0.key == key }?.value
        }
        for query in run.queries where byQuery[query.queryID] == nil {
            var fact = Fact()
            fact.label = query.labels.first { $0.key == key }?.value
            if let resolved = query.resolved {
                fact.outcome = resolved ? 1 : 0
            } else if let score = query.score, score.isFinite {
                fact.outcome = score
            } else if !query.completed && failedQueries == .zero {
                fact.outcome = 0
            }
            byQuery[query.queryID] = fact
        }
    }
}
