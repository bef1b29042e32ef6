/// `trace-analyze export`: the summary files, as text, for the caller to write.
///
/// Files, in this order:
/// - `turns.csv`, `queries.csv`, `tools.csv`, `models.csv`: the rows of the
///   `turn`, `query`, `tool` and `model` views rendered by ``CSVRenderer``
///   (RFC 4180; one line per row of the matching `--by … --format json`
///   output, with the same `metric_set` last column);
/// - `summary.json`: what made the files and the run totals:
///
///       {"metric_set":"ipw","metric_set_version":"1",
///        "price_table":{"file":"default-prices.json","version":"2025-01-31","sha256":"…"},
///        "log_sha256":"…","unpriced_models":[…],
///        "totals":{"runs":…,"queries":…,"turns":…,"inference_calls":…,"tool_calls":…,"tool_errors":…,
///                  "input_tokens":…,"output_tokens":…,"cached_tokens":…,"calls_without_usage":…,
///                  "cost_usd":…,"unpriced_calls":…,
///                  "gpu_energy_joules":…,"queries_without_energy":…,"wall_clock_s":…},
///        "latency":{"inference_latency_s":{"p50":…,"p95":…,"p99":…},
///                   "query_wall_clock_s":{"p50":…,"p95":…,"p99":…}}}
///
///   `runs` counts the distinct `run_id`s of the rows. Totals are the sums
///   of the model rows (`inference_calls`, tokens, `calls_without_usage`,
///   `cost_usd`, `unpriced_calls`), of the tool rows (`tool_calls`,
///   `tool_errors`), and of the query rows (`gpu_energy_joules` from
///   `total_gpu_energy_joules`, `wall_clock_s` from `total_wall_clock_s`),
///   each the sum of the known values (`null` only when none is known), the
///   counts beside them saying how many members had none
///   (`queries_without_energy`: query rows whose energy is `null`);
///   percentiles (``Percentile``, nearest rank) are over the turn
///   rows' `inference_latency_s` and the query rows' `total_wall_clock_s`.
///   Keys are in the order shown, on one line ending in LF; numbers print
///   as in ``JSONRenderer``.
///
/// Output is byte-deterministic.
public enum Export {
    /// The rows and identities an export is made of.
    public struct Input: Sendable {
        /// Rows of the `turn` view (``TurnView``).
        public var turns: [AnalysisRow]
        /// Rows of the `query` view (``QueryView``).
        public var queries: [AnalysisRow]
        /// Rows of the `tool` view (``ToolView``).
        public var tools: [AnalysisRow]
        /// Rows of the `model` view (``ModelView``).
        public var models: [AnalysisRow]
        /// The metric set that made the turn and query rows.
        public var metricSet: MetricSetIdentity
        /// The price table that priced them.
        public var priceTable: PriceTableIdentity
        /// SHA-256 (hex) of the log files' bytes, as the caller computed it.
        public var logSHA256: String
        /// Models the price table lacks (from the views' results).
        public var unpricedModels: [String]
        /// Whether CSV text that would start a spreadsheet formula is kept
        /// as it is (see ``CSVRenderer``).
        public var csvFormulas = false

        /// Creates an export input.
        public init(
            turns: [AnalysisRow], queries: [AnalysisRow], tools: [AnalysisRow], models: [AnalysisRow],
            metricSet: MetricSetIdentity, priceTable: PriceTableIdentity, logSHA256: String,
            unpricedModels: [String] = []
        ) {
            self.turns = turns
            self.queries = queries
            self.tools = tools
            self.models = models
            self.metricSet = metricSet
            self.priceTable = priceTable
            self.logSHA256 = logSHA256
            self.unpricedModels = unpricedModels
        }
    }

    /// The file names, in the order ``files(_:)`` returns them.
    public static let fileNames = ["turns.csv", "queries.csv", "tools.csv", "models.csv", "summary.json"]

    /// The export's files as `(fileName, contents)`, in ``fileNames`` order.
    public static func files(_ input: Input) -> [(fileName: String, contents: String)] {
        let csv = CSVRenderer(neutralizesFormulas: !input.csvFormulas)
        return [
            ("turns.csv", csv.render(input.turns, metricSet: input.metricSet)),
            ("queries.csv", csv.render(input.queries, metricSet: input.metricSet)),
            ("tools.csv", csv.render(input.tools, metricSet: input.metricSet)),
            ("models.csv", csv.render(input.models, metricSet: input.metricSet)),
            ("summary.json", summary(input)),
        ]
    }

    /// The text of `summary.json`.
    static func summary(_ input: Input) -> String {
        func column(_ rows: [AnalysisRow], _ name: String) -> [AnalysisValue] {
            rows.map { $0[name] ?? .null }
        }
        func percentiles(_ values: [AnalysisValue]) -> AnalysisValue {
            let numbers = values.map(\.doubleValue)
            return .object([
                ("p50", .double(Percentile.nearestRank(50, of: numbers))),
                ("p95", .double(Percentile.nearestRank(95, of: numbers))),
                ("p99", .double(Percentile.nearestRank(99, of: numbers))),
            ])
        }
        let table = input.priceTable
        var runIDs = Set<String>()
        for rows in [input.turns, input.queries, input.tools, input.models] {
            for row in rows { if let id = row["run_id"]?.stringValue { runIDs.insert(id) } }
        }
        let energy = KnownSum.values(column(input.queries, "total_gpu_energy_joules"))
        let value = AnalysisValue.object([
            ("metric_set", .string(input.metricSet.name)),
            ("metric_set_version", .string(input.metricSet.version)),
            ("price_table", .object([
                ("file", .string(table.fileName)),
                ("version", .string(table.version)),
                ("sha256", .string(table.sha256)),
            ])),
            ("log_sha256", .string(input.logSHA256)),
            ("unpriced_models", .strings(input.unpricedModels)),
            ("totals", .object([
                ("runs", .int(Int64(runIDs.count))),
                ("queries", .int(Int64(input.queries.count))),
                ("turns", .int(Int64(input.turns.count))),
                ("inference_calls", LabelView.sum(column(input.models, "calls"))),
                ("tool_calls", LabelView.sum(column(input.tools, "calls"))),
                ("tool_errors", LabelView.sum(column(input.tools, "errors"))),
                ("input_tokens", KnownSum.values(column(input.models, "input_tokens")).total),
                ("output_tokens", KnownSum.values(column(input.models, "output_tokens")).total),
                ("cached_tokens", KnownSum.values(column(input.models, "cached_tokens")).total),
                ("calls_without_usage", LabelView.sum(column(input.models, "calls_without_usage"))),
                ("cost_usd", .double(KnownSum.values(column(input.models, "cost_usd")).total.doubleValue)),
                ("unpriced_calls", LabelView.sum(column(input.models, "unpriced_calls"))),
                ("gpu_energy_joules", .double(energy.total.doubleValue)),
                ("queries_without_energy", energy.unknownValue),
                ("wall_clock_s", .double(KnownSum.values(column(input.queries, "total_wall_clock_s")).total.doubleValue)),
            ])),
            ("latency", .object([
                ("inference_latency_s", percentiles(column(input.turns, "inference_latency_s"))),
                ("query_wall_clock_s", percentiles(column(input.queries, "total_wall_clock_s"))),
            ])),
        ])
        return ValueText.json(value) + "\n"
    }
}
