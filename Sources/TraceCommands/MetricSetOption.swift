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
    /// Opens `path` (`-`: standard output) and hands `body` a function that
    /// writes text to it piece by piece.
    static func streaming(to path: String, _ body: (_ write: (String) -> Void) -> Void) throws {
        if path == "-" {
            body { StandardStreams.out($0) }
            return
        }
        guard let file = fopen(path, "wb") else {
            throw ValidationError("\(path): cannot write the file (\(String(cString: strerror(errno)))).")
        }
        var failed = false
        body { text in
            var text = text
            text.withUTF8 { bytes in
                if !bytes.isEmpty && fwrite(bytes.baseAddress, 1, bytes.count, file) != bytes.count { failed = true }
            }
        }
        if fclose(file) != 0 || failed {
            throw ValidationError("\(path): cannot write the file (\(String(cString: strerror(errno)))).")
        }
    }

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
