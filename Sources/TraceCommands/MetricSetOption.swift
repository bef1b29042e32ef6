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

/// Writes a command's output file (or standard output for `-`).
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        if path == "-" {
            StandardStreams.out(text)
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("\(path): cannot write the file (\(error.localizedDescription)).")
        }
    }
}
