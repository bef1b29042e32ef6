/// One run's events, gathered from every segment that carries its run id.
public struct RunLog: Sendable {
    /// The run's identifier.
    public var runID: String
    /// Its events in record order.
    public var events: [TraceEvent]
}

/// Everything read from a set of log files.
public struct LogSet: Sendable {
    /// The files read, in the order read.
    public var files: [LogFileContents]
    /// The runs found, in order of first appearance.
    public var runs: [RunLog]
    /// Problems found while reading and merging, in order.
    public var diagnostics: [LogDiagnostic]

    /// Whether every frame of every file decoded completely.
    public var isIntact: Bool { files.allSatisfy(\.isIntact) && !diagnostics.contains { $0.severity == .error } }
}

/// Reads logs: files, directories of `.zst` files, several runs at once.
///
/// Segments of one run are put in segment-sequence order (a run may be
/// spread over several rotated files given in any order); a segment seen
/// twice is kept once. Nothing here throws: unreadable files and damage
/// become diagnostics, and every intact segment is read.
public enum LogReader {
    /// Expands directories into their `.zst` files (sorted by name).
    public static func expand(_ paths: [String]) -> (files: [String], diagnostics: [LogDiagnostic]) {
        var files: [String] = []
        var diagnostics: [LogDiagnostic] = []
        for path in paths {
            if FileBytes.isDirectory(path) {
                switch FileBytes.list(path) {
                case .success(let names):
                    let logs = names.filter { $0.hasSuffix(".zst") }
                    if logs.isEmpty {
                        diagnostics.append(LogDiagnostic(severity: .warning, file: path, message: "directory holds no .zst files"))
                    }
                    files += logs.map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
                case .failure(let error):
                    diagnostics.append(LogDiagnostic(severity: .error, file: path, message: error.reason))
                }
            } else {
                files.append(path)
            }
        }
        return (files, diagnostics)
    }

    /// Reads and scans one file.
    public static func readFile(_ path: String) -> LogFileContents {
        switch FileBytes.read(path) {
        case .success(let bytes):
            return bytes.withUnsafeBytes { LogFileScanner.scan($0, path: path) }
        case .failure(let error):
            return LogFileContents(
                path: path, byteCount: 0, segments: [], damagedFrames: 0,
                diagnostics: [LogDiagnostic(severity: .error, file: path, message: error.reason)])
        }
    }

    /// Reads every file and directory in `paths` and groups events by run.
    ///
    /// Events are moved from the files' segments into the runs: afterwards
    /// each ``ReadSegment``'s `segment.events` is empty (its
    /// ``ReadSegment/eventCount`` remains), so every event is held once.
    public static func read(_ paths: [String]) -> LogSet {
        let (files, expandDiagnostics) = expand(paths)
        var set = LogSet(files: [], runs: [], diagnostics: expandDiagnostics)
        set.files = files.map(readFile)
        for file in set.files { set.diagnostics += file.diagnostics }

        let (order, places, duplicates) = runOrder(set.files)
        set.diagnostics += duplicates
        for (run, segments) in zip(order, places) {
            var events: [TraceEvent] = []
            events.reserveCapacity(segments.reduce(0) { $0 + set.files[$1.file].segments[$1.segment].eventCount })
            for place in segments {
                // Each event is held once: in its run, not also in its segment
                // (released here, segment by segment, as the run grows).
                events += set.files[place.file].segments[place.segment].segment.events
                set.files[place.file].segments[place.segment].segment.events = []
            }
            set.runs.append(RunLog(runID: run, events: events))
        }
        for file in set.files.indices {
            for segment in set.files[file].segments.indices { set.files[file].segments[segment].segment.events = [] }
        }
        return set
    }

    /// The order a set of files' segments are read in: the runs in order of
    /// first appearance, each run's segments (file, segment) in
    /// segment-sequence order (file order among equals), a segment seen a
    /// second time left out with a warning.
    package static func runOrder(
        _ files: [LogFileContents]
    ) -> (runs: [String], places: [[(file: Int, segment: Int)]], diagnostics: [LogDiagnostic]) {
        var order: [String] = []
        var byRun: [String: [(file: Int, segment: Int)]] = [:]
        for (fileIndex, file) in files.enumerated() {
            for (segmentIndex, read) in file.segments.enumerated() {
                let run = read.segment.header.runID
                if byRun[run] == nil { order.append(run) }
                byRun[run, default: []].append((fileIndex, segmentIndex))
            }
        }
        var diagnostics: [LogDiagnostic] = []
        var places: [[(file: Int, segment: Int)]] = []
        for run in order {
            func header(_ place: (file: Int, segment: Int)) -> SegmentHeader {
                files[place.file].segments[place.segment].segment.header
            }
            let segments = byRun[run]!.enumerated().sorted {
                (header($0.element).segmentSequence, $0.offset) < (header($1.element).segmentSequence, $1.offset)
            }.map(\.element)
            var kept: [(file: Int, segment: Int)] = []
            var lastSequence: UInt64?
            for place in segments {
                let read = files[place.file].segments[place.segment]
                let sequence = read.segment.header.segmentSequence
                if sequence == lastSequence {
                    diagnostics.append(LogDiagnostic(
                        severity: .warning, file: files[place.file].path, segment: read.frameIndex,
                        byteOffset: read.byteOffset,
                        message: "duplicate of run \(run)'s segment \(sequence): skipped"))
                    continue
                }
                lastSequence = sequence
                kept.append(place)
            }
            places.append(kept)
        }
        return (order, places, diagnostics)
    }
}
