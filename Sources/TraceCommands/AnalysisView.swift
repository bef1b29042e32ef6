import ArgumentParser
import TraceAnalysis
import TraceLog

/// What rows an analysis prints (`--by`).
enum AnalysisView: Equatable, ExpressibleByArgument, CustomStringConvertible {
    case turn
    case query
    case run

    init?(argument: String) {
        switch argument {
        case "turn": self = .turn
        case "query": self = .query
        case "run": self = .run
        default: return nil
        }
    }

    static var allValueStrings: [String] { ["turn", "query", "run"] }
    var description: String {
        switch self {
        case .turn: "turn"
        case .query: "query"
        case .run: "run"
        }
    }
}

/// Runs a metric set over a log set and renders the chosen view.
struct AnalysisReport {
    var metricSet: any MetricSet
    var view: AnalysisView
    var format: OutputFormat

    /// The rendered output and the analysis warnings.
    func render(_ log: LogSet) -> (output: String, diagnostics: [AnalysisDiagnostic]) {
        var rows: [AnalysisRow] = []
        var diagnostics: [AnalysisDiagnostic] = []
        for run in log.runs {
            let result = metricSet.analyze(RunEvents(runID: run.runID, events: run.events))
            switch view {
            case .turn: rows += result.turns
            case .query: rows += result.queries
            case .run: rows += result.runs
            }
            diagnostics += result.diagnostics
        }
        return (format.render(rows, metricSet: metricSet.identity), diagnostics)
    }
}

extension OutputFormat: ExpressibleByArgument {}
