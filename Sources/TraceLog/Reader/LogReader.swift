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
                    for name in logs {
                        let file = path.hasSuffix("/") ? path + name : path + "/" + name
                        // A FIFO or a device in a logs directory would block or
                        // never end: only regular files are read from one.
                        guard FileBytes.isRegularFileOrMissing(file) || FileBytes.isDirectory(file) else {
                            diagnostics.append(LogDiagnostic(
                                severity: .warning, file: file,
                                message: "not a regular file: skipped (name it on the command line to read it)"))
                            continue
                        }
                        files.append(file)
                    }
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
            var shift = RecorderShift()
            for place in segments {
                let read = set.files[place.file].segments[place.segment]
                shift.begin(read.segment.header)
                // Each event is held once: in its run, not also in its segment
                // (released here, segment by segment, as the run grows).
                var moved = read.segment.events
                set.files[place.file].segments[place.segment].segment.events = []
                for index in moved.indices { shift.apply(&moved[index]) }
                events += moved
            }
            set.runs.append(RunLog(runID: run, events: events))
        }
        for file in set.files.indices {
            for segment in set.files[file].segments.indices { set.files[file].segments[segment].segment.events = [] }
        }
        return set
    }

    /// The order a set of files' segments are read in: the runs in order of
    /// first appearance; each run's segments (file, segment) by recorder
    /// (``SegmentHeader/recorderID``, UTF-8 order), then segment sequence
    /// (file order among equals). A segment seen a second time is left out:
    /// with a warning when its content is the same (a file given twice),
    /// with a conflict error naming both places when it differs (two logs
    /// that share a run id and recorder).
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
            let segments = byRun[run]!.enumerated().sorted { a, b in
                let (x, y) = (header(a.element), header(b.element))
                if x.recorderID != y.recorderID { return x.recorderID.utf8.lexicographicallyPrecedes(y.recorderID.utf8) }
                return (x.segmentSequence, a.offset) < (y.segmentSequence, b.offset)
            }.map(\.element)
            var kept: [(file: Int, segment: Int)] = []
            for place in segments {
                let read = files[place.file].segments[place.segment]
                let sequence = read.segment.header.segmentSequence
                if let last = kept.last, header(last).recorderID == read.segment.header.recorderID,
                   header(last).segmentSequence == sequence {
                    let first = files[last.file].segments[last.segment]
                    let recorder = read.segment.header.recorderID.isEmpty ? "" : " (recorder \(read.segment.header.recorderID))"
                    if read.sameContent(as: first) {
                        diagnostics.append(LogDiagnostic(
                            severity: .warning, file: files[place.file].path, segment: read.frameIndex,
                            byteOffset: read.byteOffset,
                            message: "duplicate of run \(run)'s segment \(sequence)\(recorder): skipped"))
                    } else {
                        var conflict = LogDiagnostic(
                            severity: .error, file: files[place.file].path, segment: read.frameIndex,
                            byteOffset: read.byteOffset,
                            message: "conflict: run \(run)'s segment \(sequence)\(recorder) differs from the one in "
                                + "\(files[last.file].path) (segment \(first.frameIndex), byte \(first.byteOffset)): skipped; "
                                + "two different logs share this run id")
                        conflict.isConflict = true
                        diagnostics.append(conflict)
                    }
                    continue
                }
                kept.append(place)
            }
            places.append(kept)
        }
        for (run, kept) in zip(order, places) {
            diagnostics += gaps(run: run, kept.map { place in
                let read = files[place.file].segments[place.segment]
                return (read.segment.header, files[place.file].path, read.frameIndex, read.byteOffset)
            })
        }
        return (order, places, diagnostics)
    }

    /// The gaps in a run's segment sequences: for each recorder, segments
    /// missing before the first one read (which should be segment 0) and
    /// between two read, each a warning on the segment after it naming the
    /// missing range. `segments` are the run's, ordered as ``runOrder(_:)``
    /// orders them, duplicates left out.
    package static func gaps(
        run: String, _ segments: [(header: SegmentHeader, file: String, frame: Int, byteOffset: Int)]
    ) -> [LogDiagnostic] {
        var diagnostics: [LogDiagnostic] = []
        var previous: (recorder: String, sequence: UInt64)?
        for segment in segments {
            let recorder = segment.header.recorderID
            let sequence = segment.header.segmentSequence
            let expected: UInt64 = previous.map { $0.recorder == recorder ? $0.sequence &+ 1 : 0 } ?? 0
            if sequence > expected {
                let range = sequence - 1 == expected ? "segment \(expected)" : "segments \(expected)–\(sequence - 1)"
                let by = recorder.isEmpty ? "" : " (recorder \(recorder))"
                var gap = LogDiagnostic(
                    severity: .warning, file: segment.file, segment: segment.frame, byteOffset: segment.byteOffset,
                    message: "gap: run \(run)'s \(range)\(by) missing before this one (\(sequence - expected) "
                        + "segment\(sequence - expected == 1 ? "" : "s") of events lost)")
                gap.isGap = true
                diagnostics.append(gap)
            }
            previous = (recorder, sequence)
        }
        return diagnostics
    }
}

/// Record order across the recorders of one run: each recorder's records
/// follow the previous recorders' (in ``LogReader/runOrder(_:)`` order),
/// their sequences shifted past the largest one so far, so a run written by
/// several recorders (agent events on one host, telemetry on another) has
/// one record order, the same for every reader.
package struct RecorderShift {
    private var recorder: String?
    private var shift: UInt64 = 0
    private var next: UInt64 = 0

    package init() {}

    /// Starts the next segment of the run.
    package mutating func begin(_ header: SegmentHeader) {
        if let recorder, recorder != header.recorderID { shift = next }
        recorder = header.recorderID
    }

    /// Shifts one event of the current segment (a shift that would
    /// overflow leaves the sequence as recorded).
    package mutating func apply(_ event: inout TraceEvent) {
        if shift > 0 {
            let (sequence, overflow) = event.sequence.addingReportingOverflow(shift)
            if !overflow { event.sequence = sequence }
        }
        if event.sequence >= next { next = event.sequence == .max ? .max : event.sequence + 1 }
    }
}
