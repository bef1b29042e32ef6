import ArgumentParser
import Foundation
import TraceAnalysis

/// Resolves `--metrics NAME` (default: the default set).
enum MetricSetOption {
    static func resolve(_ name: String?) throws -> any MetricSet {
        let name = name ?? MetricSets.defaultName
        guard let set = MetricSets.named(name) else {
            throw ValidationError("Unknown metric set \"\(name)\"; known: \(MetricSets.names.joined(separator: ", ")).")
        }
        return set
    }
}

/// `--clock-offset SOURCE=±MS` (repeatable): shifts a telemetry source's
/// timestamps onto the run's clock before the analysis.
struct ClockOffsetOptions: ParsableArguments {
    @Option(name: .customLong("clock-offset"), help: ArgumentHelp(
        "Add MS milliseconds to the timestamps of telemetry source SOURCE (as `--by run`'s sensor_models names it), to put another host's clock on the run's (repeatable; default sets).",
        valueName: "SOURCE=±MS"))
    var values: [String] = []

    func validate() throws {
        for value in values where SourceClockOffset(argument: value) == nil {
            throw ValidationError("--clock-offset \(value): expected SOURCE=±MS, milliseconds with at most 6 decimals (gpu0=-40, gpu0=+12.5).")
        }
    }

    /// The offsets given.
    var offsets: [SourceClockOffset] { values.compactMap(SourceClockOffset.init(argument:)) }

    /// `metricSet` with the offsets, or itself when none is given.
    func apply(to metricSet: any MetricSet) throws -> any MetricSet {
        guard !offsets.isEmpty else { return metricSet }
        guard let shifted = metricSet.withClockOffsets(offsets) else {
            throw ValidationError("--clock-offset: the \(metricSet.identity.tag) set reads every source as one stream and takes no clock offsets; use a default set.")
        }
        return shifted
    }
}
