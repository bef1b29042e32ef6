import ArgumentParser
import TraceAnalysis

/// `trace-analyze metrics`: the metric sets this build knows.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List the metric sets: NAME@VERSION, then what each computes, one line each.",
        discussion: "Select one with --metrics NAME; outputs name the set as NAME@VERSION.")

    @OptionGroup var quietOption: QuietOption

    func run() {
        for set in MetricSets.all {
            let identity = set.identity
            let mark = identity.name == MetricSets.defaultName ? " (default)" : ""
            StandardStreams.out("\(identity.tag)\(mark)\t\(set.summary)\n")
        }
    }
}
