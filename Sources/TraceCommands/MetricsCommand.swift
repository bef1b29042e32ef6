import ArgumentParser
import TraceAnalysis

/// `trace-analyze metrics`: the metric sets this build knows.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List the metric sets with their versions.")

    func run() {
        for set in MetricSets.all {
            let identity = set.identity
            let mark = identity.name == MetricSets.defaultName ? "  (default)" : ""
            StandardStreams.out("\(identity.name)\t\(identity.version)\(mark)\n")
        }
    }
}
