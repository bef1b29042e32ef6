import TraceLog

/// `--by label:KEY` (e.g. `label:data_id`): the query rows of
/// ``QueryView`` grouped by the value of one label, across runs.
///
/// A query's label value is that of the first label named KEY on its query
/// start, else on its run's run start (so run labels such as `scenario` or
/// `trial` group too); queries without it form one group whose value is
/// `null`, listed last. Other groups are sorted by value (UTF-8 bytes).
///
/// Columns:
/// - KEY itself (the column is named after the key), then `queries`.
/// - Every numeric column of the query rows whose name starts with `total_`
///   (tokens, cost, energy, wall clock…), in order of first appearance,
///   summed over the group; `null` when any query's value is unknown (a
///   partial sum would understate the total). Integers stay integers.
/// - `energy_per_output_token_joules`: the summed energy column (by default
///   `total_gpu_energy_joules`) over the summed `total_output_tokens`.
/// - `accuracy`, `accuracy_per_joule`, `accuracy_per_watt`, from the
///   outcomes on the queries' query ends (`null` when no query of the group
///   has one). The definitions follow ipw's:
///   - a query's outcome is 1 when `resolved` is true, 0 when it is false,
///     else its finite `score`; queries with neither are left out of all
///     three;
///   - `accuracy` is the mean outcome over the queries with an outcome;
///   - `accuracy_per_joule` = accuracy / (mean energy per query over those
///     queries whose energy is known), `null` when that mean is not positive;
///   - `accuracy_per_watt` = accuracy / (mean power per query, a query's
///     power being its energy / its wall clock `total_wall_clock_s`, over
///     those queries whose energy is known and wall clock positive), `null`
///     when that mean is not positive.
///
///   Means are exactly rounded (as Python's `statistics.mean`).
public enum LabelView {
    /// The rows of the label view for a label key.
    public static func rows(
        _ runs: [AnalyzedRun], key: String, prices: PriceTable,
        energyColumn: String = "total_gpu_energy_joules", wallClockColumn: String = "total_wall_clock_s"
    ) -> ViewResult {
        struct Member {
            var row: AnalysisRow
            var outcome: Double?
        }
        var groups: [String?: [Member]] = [:]
        var unpriced = Set<String>()
        var columnOrder: [String] = []
        var seenColumns = Set<String>()
        for run in runs {
            let queries = QueryView.rows([run], prices: prices, energyColumn: energyColumn)
            unpriced.formUnion(queries.unpricedModels)
            let facts = QueryFacts(run.structure, key: key)
            for row in queries.rows {
                let id = row["query_id"]?.stringValue
                let fact = id.flatMap { facts.byQuery[$0] }
                let value = fact?.label ?? facts.runLabel
                groups[value, default: []].append(Member(row: row, outcome: fact?.outcome))
                for column in row.columns where column.name.hasPrefix("total_") && seenColumns.insert(column.name).inserted {
                    columnOrder.append(column.name)
                }
            }
        }
        let keys = groups.keys.sorted { a, b in
            switch (a, b) {
            case (let x?, let y?): utf8Precedes(x, y)
            case (.some, nil): true
            default: false
            }
        }
        let rows = keys.map { value in
            let members = groups[value] ?? []
            var columns: [(name: String, value: AnalysisValue)] = [
                (key, .string(value)),
                ("queries", .int(Int64(members.count))),
            ]
            for name in columnOrder {
                columns.append((name, sum(members.map { $0.row[name] ?? .null })))
            }
            let totalEnergy = columns.first { $0.name == energyColumn }?.value.doubleValue
            let totalTokens = columns.first { $0.name == "total_output_tokens" }?.value.intValue
            columns.append(("energy_per_output_token_joules", .double(QueryView.perToken(totalEnergy, totalTokens))))

            let scored = members.filter { $0.outcome != nil }
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
        return ViewResult(rows: rows, unpricedModels: unpriced.sorted(by: utf8Precedes))
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

    init(_ run: RunStructure, key: String) {
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
            }
            byQuery[query.queryID] = fact
        }
    }
}
