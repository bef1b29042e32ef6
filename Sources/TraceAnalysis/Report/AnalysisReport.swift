import TraceLog

/// Which columns a report prints.
public enum ColumnChoice: Sendable, Equatable {
    /// Tables of the turn and query views in their compact form
    /// (``TableLayout/turns(withRun:)``, ``TableLayout/queries(withRun:)``),
    /// every other table and every CSV and JSON output with all columns.
    case standard
    /// Every column (`--all-columns`), in panels when they do not fit.
    case all
    /// These columns, in this order, in every format (`--columns a,b,c`);
    /// CSV and JSON keep their last `metric_set` column.
    case named([String])
}

/// A metric set's view of analysed runs, as rows and as rendered text: what
/// `trace-analyze LOG --by VIEW --format FORMAT` prints, as a library.
///
///     let logs = LogAnalysis.analyze(["run.zst"], with: DefaultMetricSet())
///     let report = AnalysisReport(metricSet: DefaultMetricSet(), view: .turn, format: .csv)
///     let (rows, notes) = report.rows(logs)          // typed rows and warnings
///     let (text, _) = report.render(logs)            // the CSV `--by turn` prints
///
/// Every view reads the runs' ``RunStructure`` and the set's rows; what a
/// set can do (attribute energy to single spans, print its own turn and
/// query rows) comes from the ``MetricSet`` protocol.
public struct AnalysisReport: Sendable {
    /// The metric set the runs were analysed with.
    public var metricSet: any MetricSet
    /// The rows to make.
    public var view: AnalysisView
    /// How to render them.
    public var format: OutputFormat
    /// The prices costs are computed with.
    public var prices: PriceTable
    /// Whether CSV and JSON rows of priced views get a `price_table` column
    /// (tables name the price table in a footer instead).
    public var namesPriceTableInRows: Bool
    /// Whether turn and query rows get their run's labels as columns
    /// `run.KEY` after `run_id` (one column per label key of any run,
    /// sorted by UTF-8 bytes; `null` where a run lacks the key). CSV and
    /// JSON query rows always get them.
    public var withRunLabels: Bool
    /// How the label view scores a failed query without an outcome.
    public var failedQueries: LabelView.FailedQueries
    /// Which columns to print (``ColumnChoice``).
    public var columns: ColumnChoice = .standard
    /// Whether CSV text that would start a spreadsheet formula is printed as
    /// it is (`--csv-formulas`), not neutralised with a `'`.
    public var csvFormulas = false
    /// Whether the tool, model and label views pool every run into one
    /// row per group (`run_id` ``pooledRunID``) instead of a row per run
    /// and group.
    public var poolRuns: Bool

    /// Creates a report.
    public init(
        metricSet: any MetricSet, view: AnalysisView, format: OutputFormat = .table, prices: PriceTable = .default,
        namesPriceTableInRows: Bool = true, withRunLabels: Bool = false, failedQueries: LabelView.FailedQueries = .exclude,
        poolRuns: Bool = false
    ) {
        self.poolRuns = poolRuns
        self.metricSet = metricSet
        self.view = view
        self.format = format
        self.prices = prices
        self.namesPriceTableInRows = namesPriceTableInRows
        self.withRunLabels = withRunLabels
        self.failedQueries = failedQueries
    }

    /// What an analysis produced besides its rows.
    public struct Notes: Sendable, Equatable {
        /// Warnings about the input, each once, in the order found.
        public var diagnostics: [AnalysisDiagnostic] = []
        /// Models the price table lacks (their costs are null).
        public var unpricedModels: [String] = []
        /// Whether the view used the price table.
        public var priced = false
        /// Warnings about the request (e.g. a label no query has).
        public var warnings: [String] = []
        /// Names given in ``AnalysisReport/columns`` that no row has.
        public var unknownColumns: [String] = []
        /// When ``unknownColumns`` is not empty: the columns the rows have
        /// (the first row's, in order), for the message that lists them.
        public var knownColumns: [String] = []

        /// Creates notes.
        public init(
            diagnostics: [AnalysisDiagnostic] = [], unpricedModels: [String] = [], priced: Bool = false,
            warnings: [String] = []
        ) {
            self.diagnostics = diagnostics
            self.unpricedModels = unpricedModels
            self.priced = priced
            self.warnings = warnings
        }
    }

    /// The rows of the view over logs read whole (each run analysed with
    /// ``metricSet``).
    public func rows(_ log: LogSet) -> (rows: [AnalysisRow], notes: Notes) {
        rows(analyzed: log.runs.map { AnalyzedRun(events: RunEvents(runID: $0.runID, events: $0.events), metricSet: metricSet) })
    }

    /// The rendered output of logs read whole.
    public func render(_ log: LogSet) -> (output: String, notes: Notes) { render(rows(log)) }

    /// The rows of the view over analysed logs.
    public func rows(_ logs: AnalyzedLogs) -> (rows: [AnalysisRow], notes: Notes) {
        rows(analyzed: logs.runs, spanEnergy: logs.spanEnergy)
    }

    /// The rows of the view over runs already analysed with ``metricSet``;
    /// `spanEnergy`, when given, holds each run's span energies (else the
    /// set computes them from the runs' events, ``MetricSet/spanEnergy(_:)``).
    public func rows(analyzed runs: [AnalyzedRun], spanEnergy given: [SpanEnergy]? = nil) -> (rows: [AnalysisRow], notes: Notes) {
        var runs = runs
        return rows(taking: &runs, spanEnergy: given)
    }

    /// ``rows(analyzed:spanEnergy:)``, taking the set's turn rows out of
    /// `runs` for the turn view (``TurnView/rows(taking:prices:energyColumn:)``):
    /// where `runs` holds the only reference to them, the set's rows and the
    /// view's are never held whole at once. Other rows stay in `runs`.
    package func rows(taking runs: inout [AnalyzedRun], spanEnergy given: [SpanEnergy]? = nil) -> (rows: [AnalysisRow], notes: Notes) {
        var notes = Notes(diagnostics: runs.flatMap(\.result.diagnostics))
        switch view {
        case .run:
            return (runs.flatMap(\.result.runs), notes)
        case .view(let kind):
            // A set whose rows are final (the ipw set reproduces a reference
            // runner exactly) has its turn and query rows printed as made.
            if metricSet.viewConvention == .asDefined {
                func keyed(_ rows: (AnalysisResult) -> [AnalysisRow]) -> [AnalysisRow] {
                    runs.flatMap { run in rows(run.result).map { $0.leading("run_id", .string(run.structure.runID)) } }
                }
                switch kind {
                case .turn, .query:
                    var rows = kind == .turn ? keyed(\.turns) : keyed(\.queries)
                    withLabels(&rows, of: runs, kind: kind)
                    return (rows, notes)
                default: break
                }
            }
            let energy = kind == .tool || kind == .model ? spanEnergy(runs, given: given) : .unknown
            var result = kind == .turn
                ? TurnView.rows(taking: &runs, prices: prices)
                : kind.rows(runs, prices: prices, energy: energy, failedQueries: failedQueries, poolRuns: poolRuns)
            withLabels(&result.rows, of: runs, kind: kind)
            notes.warnings = result.warnings
            // The views read the same run structure as the set: report each
            // of its problems once.
            var seen = Set(notes.diagnostics)
            for diagnostic in result.diagnostics where seen.insert(diagnostic).inserted {
                notes.diagnostics.append(diagnostic)
            }
            notes.unpricedModels = result.unpricedModels
            notes.priced = kind != .tool
            guard notes.priced && format != .table && namesPriceTableInRows else { return (result.rows, notes) }
            // Machine-readable outputs name the price table on every row
            // (tables name it in their footer).
            // In place: each row's old arrays go as its new ones are made.
            let tag = AnalysisValue.string(prices.identity.description)
            var rows = result.rows
            result.rows = []
            for index in rows.indices { rows[index].replace(rows[index].count..<rows[index].count, with: [("price_table", tag)]) }
            return (rows, notes)
        }
    }

    /// Puts runs' labels after `run_id` in turn and query rows, when asked
    /// for (``withRunLabels``) or for CSV and JSON query rows; in place, so
    /// that each row's old arrays go as its new ones are made.
    func withLabels(_ rows: inout [AnalysisRow], of runs: [AnalyzedRun], kind: ViewKind) {
        guard kind == .turn || kind == .query, withRunLabels || (kind == .query && format != .table) else { return }
        var labels: [String: [(String, String)]] = [:]
        var keys = Set<String>()
        for run in runs where labels[run.structure.runID] == nil {
            var pairs: [(String, String)] = []
            for label in run.structure.runLabels.joined() where !pairs.contains(where: { $0.0 == label.key }) {
                pairs.append((label.key, label.value))
            }
            keys.formUnion(pairs.map(\.0))
            labels[run.structure.runID] = pairs
        }
        let sorted = keys.sorted(by: utf8Precedes)
        guard !sorted.isEmpty else { return }
        for position in rows.indices {
            guard let index = rows[position].index(of: "run_id") else { continue }
            let pairs = rows[position].values[index].stringValue.flatMap { labels[$0] } ?? []
            rows[position].replace(index + 1..<index + 1, with: sorted.map { key in
                ("run." + key, AnalysisValue.string(pairs.first { $0.0 == key }?.1))
            })
        }
    }

    /// Per-span GPU energy for the tool and model views: the given energies
    /// by run, else the set's own (``MetricSet/spanEnergy(_:)``).
    func spanEnergy(_ runs: [AnalyzedRun], given: [SpanEnergy]?) -> SpanEnergy {
        var byRun: [String: SpanEnergy] = [:]
        if let given {
            for (run, span) in zip(runs, given) where byRun[run.events.runID] == nil { byRun[run.events.runID] = span }
        } else {
            for run in runs where byRun[run.events.runID] == nil { byRun[run.events.runID] = metricSet.spanEnergy(run.events) }
        }
        let table = byRun
        return SpanEnergy { reference in table[reference.runID]?.gpuJoules(reference) }
    }

    /// The rendered output of analysed logs and what to tell the user.
    public func render(_ logs: AnalyzedLogs) -> (output: String, notes: Notes) { render(rows(logs)) }

    /// The rendered output of runs already analysed with ``metricSet``
    /// (with their span energies, for the tool and model views).
    public func render(analyzed runs: [AnalyzedRun], spanEnergy: [SpanEnergy]? = nil) -> (output: String, notes: Notes) {
        render(rows(analyzed: runs, spanEnergy: spanEnergy))
    }

    /// ``render(analyzed:spanEnergy:)``, taking the set's turn rows out of
    /// `runs` as ``rows(taking:spanEnergy:)`` does: a caller that holds the
    /// only reference to them never holds the set's rows and the view's
    /// whole at once.
    package func render(taking runs: inout [AnalyzedRun], spanEnergy: [SpanEnergy]? = nil) -> (output: String, notes: Notes) {
        render(rows(taking: &runs, spanEnergy: spanEnergy))
    }

    private func render(_ made: (rows: [AnalysisRow], notes: Notes)) -> (output: String, notes: Notes) {
        var (rows, notes) = made
        var layout: TableLayout?
        switch columns {
        case .standard:
            if format == .table, case .view(let kind) = view, metricSet.viewConvention == .augmented {
                let runs = Set(rows.compactMap { $0["run_id"]?.stringValue }).count
                let withRun = runs > 1 || withRunLabels
                if kind == .turn { layout = .turns(withRun: withRun) }
                if kind == .query { layout = .queries(withRun: withRun) }
                // Asked-for run labels follow the run.
                let labels = ValueText.columnNames(of: rows).filter { $0.hasPrefix("run.") }
                if withRunLabels, !labels.isEmpty, layout != nil {
                    layout!.columns.insert(contentsOf: labels.map { TableLayout.Column($0, shrinks: true) }, at: 1)
                }
            }
        case .all:
            break
        case .named(let names):
            let present = Set(ValueText.columnNames(of: rows))
            notes.unknownColumns = names.filter { !present.contains($0) }
            if !notes.unknownColumns.isEmpty { notes.knownColumns = rows.first?.names ?? [] }
            if format == .table {
                layout = .named(names)
            } else {
                rows = rows.map { row in AnalysisRow(names.compactMap { name in row[name].map { (name, $0) } }) }
            }
        }
        var output = format == .table
            ? TableRenderer().render(rows, metricSet: metricSet.identity, layout: layout)
            : format.render(rows, metricSet: metricSet.identity, csvFormulas: csvFormulas)
        if notes.priced && format == .table {
            let identity = prices.identity
            output += "price table: \(identity.fileName)\(identity.version.map { "@" + $0 } ?? "")"
                + " sha256:\(identity.sha256.prefix(12))\n"
        }
        return (output, notes)
    }
}
