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
