import ArgumentParser
import Foundation
import TraceAnalysis
import TraceLog

/// What rows an analysis prints (`--by`): the views of ``ViewKind`` plus
/// the metric set's run rows.
enum AnalysisView: Equatable, ExpressibleByArgument, CustomStringConvertible {
    case run
    case view(ViewKind)

    static let turn = AnalysisView.view(.turn)
    static let query = AnalysisView.view(.query)

    init?(argument: String) {
        if argument == "run" {
            self = .run
        } else if let view = ViewKind(argument) {
            self = .view(view)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { ["turn", "query", "run", "tool", "model", "label:KEY"] }
    var description: String {
        switch self {
        case .run: "run"
        case .view(let kind): kind.description
        }
    }
}

/// Runs a metric set over a log set and renders the chosen view.
struct AnalysisReport {
    var metricSet: any MetricSet
    var view: AnalysisView
    var format: OutputFormat
    var prices: PriceTable = .default
    /// Whether CSV and JSON rows of priced views get a `price_table`
    /// column (tables name the price table in a footer instead).
    var namesPriceTableInRows = true

    /// What an analysis produced besides its text.
    struct Notes {
        var diagnostics: [AnalysisDiagnostic] = []
        var unpricedModels: [String] = []
        /// Whether the view used the price table.
        var priced = false
    }

    /// The rows of the view.
    func rows(_ log: LogSet) -> (rows: [AnalysisRow], notes: Notes) { rows(log.runs) }

    /// The rows of the view over `runs`.
    func rows(_ runs: [RunLog]) -> (rows: [AnalysisRow], notes: Notes) {
        rows(analyzed: runs.map { AnalyzedRun(events: RunEvents(runID: $0.runID, events: $0.events), metricSet: metricSet) })
    }

    /// The rows of the view over runs already analysed with ``metricSet``;
    /// `spanEnergy`, when given, holds each run's span energies (else they
    /// are computed from the runs' events).
    func rows(analyzed runs: [AnalyzedRun], spanEnergy given: [SpanEnergy]? = nil) -> (rows: [AnalysisRow], notes: Notes) {
        var notes = Notes(diagnostics: runs.flatMap(\.result.diagnostics))
        switch view {
        case .run:
            return (runs.flatMap(\.result.runs), notes)
        case .view(let kind):
            // The ipw set reproduces the reference runner's rows exactly:
            // its turn and query rows are printed as the set made them.
            if metricSet.identity.name == "ipw" {
                switch kind {
                case .turn: return (runs.flatMap(\.result.turns), notes)
                case .query: return (runs.flatMap(\.result.queries), notes)
                default: break
                }
            }
            let energy: SpanEnergy
            if let given, kind == .tool || kind == .model {
                var byRun: [String: SpanEnergy] = [:]
                for (run, span) in zip(runs, given) where byRun[run.events.runID] == nil { byRun[run.events.runID] = span }
                let table = byRun
                energy = SpanEnergy { reference in table[reference.runID]?.gpuJoules(reference) }
            } else {
                energy = spanEnergy(kind, runs)
            }
            let result = kind.rows(runs, prices: prices, energy: energy)
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
            let tag = AnalysisValue.string(prices.identity.description)
            return (result.rows.map { AnalysisRow($0.columns + [("price_table", tag)]) }, notes)
        }
    }

    /// Per-span GPU energy for the tool and model views, from the default
    /// set's attribution (other sets attribute no energy to single spans).
    func spanEnergy(_ kind: ViewKind, _ runs: [AnalyzedRun]) -> SpanEnergy {
        guard let set = metricSet as? DefaultMetricSet, kind == .tool || kind == .model else { return .unknown }
        var byRun: [String: SpanEnergy] = [:]
        for run in runs where byRun[run.events.runID] == nil { byRun[run.events.runID] = set.spanEnergy(run.events) }
        let table = byRun
        return SpanEnergy { reference in table[reference.runID]?.gpuJoules(reference) }
    }

    /// The rendered output and what to tell the user on stderr.
    func render(_ log: LogSet) -> (output: String, notes: Notes) { render(rows(log)) }

    /// The rendered output of runs already analysed with ``metricSet``
    /// (with their span energies, for the tool and model views).
    func render(analyzed runs: [AnalyzedRun], spanEnergy: [SpanEnergy]? = nil) -> (output: String, notes: Notes) {
        render(rows(analyzed: runs, spanEnergy: spanEnergy))
    }

    private func render(_ made: (rows: [AnalysisRow], notes: Notes)) -> (output: String, notes: Notes) {
        let (rows, notes) = made
        var output = format.render(rows, metricSet: metricSet.identity)
        if notes.priced && format == .table {
            let identity = prices.identity
            output += "price table: \(identity.fileName)\(identity.version.map { "@" + $0 } ?? "")"
                + " sha256:\(identity.sha256.prefix(12))\n"
        }
        return (output, notes)
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// The `--prices` option shared by the commands that compute costs.
struct PriceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Price table (JSON: {\"models\": {NAME: {input_usd_per_mtok, output_usd_per_mtok, cached_input_usd_per_mtok}}}); default: the bundled table.",
        valueName: "file"))
    var prices: String?

    /// The price table to use.
    func load() throws -> PriceTable {
        guard let path = prices else { return .default }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(path): cannot read the price table.")
        }
        do {
            return try PriceTable(bytes: Array(data), fileName: (path as NSString).lastPathComponent)
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }
}
