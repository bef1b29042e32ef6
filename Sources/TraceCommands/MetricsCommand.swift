import ArgumentParser
import TraceAnalysis

/// `trace-analyze metrics`: the metric sets this build knows.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List the metric sets: NAME@VERSION, then what each computes, one line each.",
        discussion: "Select one with --metrics NAME (its newest version) or --metrics NAME@VERSION; outputs name the set as NAME@VERSION.")

    @OptionGroup var quietOption: QuietOption

    func run() {
        for set in MetricSets.versions {
            let identity = set.identity
            let newest = MetricSets.named(identity.name)?.identity == identity
            let mark = identity.name == MetricSets.defaultName && newest ? " (default)" : ""
            StandardStreams.out("\(identity.tag)\(mark)\t\(set.summary)\n")
        }
    }
}
