/// Reads logs one segment at a time, handing each event to a visitor
/// instead of gathering them: memory stays flat however long the logs are.
///
/// A pass sees the same files, frames, diagnostics and events in the same
/// order as ``LogReader/read(_:)`` does, with one difference: segments are
/// visited in file order, not put in segment-sequence order per run, and
/// duplicates are not removed. ``Pass/segmentsInOrder`` says whether that
/// made a difference (every run's segments came in increasing sequence
/// order); when it is false, a caller that needs record order reads the
/// logs with ``LogReader`` instead.
public enum LogStream {
    /// What a pass over the logs found besides their events.
    public struct Pass: Sendable {
        /// Problems with the paths and files, in the order ``LogReader`` gives them.
        public var diagnostics: [LogDiagnostic] = []
        /// The number of segments decoded.
        public var segmentCount = 0
        /// The number of events visited.
        public var eventCount = 0
        /// The runs, in order of first appearance.
        public var runs: [String] = []
        /// Whether every run's segments came in strictly increasing
        /// segment-sequence order from one recorder (so file order is
        /// record order).
        public var segmentsInOrder = true
        /// The files read (directories expanded), each with the number of
        /// bytes read (nil when it could not be opened): a second pass over
        /// ``files`` reads exactly the same bytes, even of a log that is
        /// still being written.
        public var files: [File] = []

        /// Whether `later`, a pass over this pass's ``files``, read the same
        /// bytes and segments (a file could have been truncated, replaced or
        /// become unreadable in between).
        package func readTheSame(as later: Pass) -> Bool {
            later.segmentCount == segmentCount && later.files == files.filter { $0.byteCount != nil }
        }
    }

    /// Whether every file and directory in `paths` can be read a second time
    /// as the first time (regular files, directories of them): a stream
    /// reads them twice, so a pipe or a device must be read whole, once.
    package static func isRereadable(_ paths: [String]) -> Bool {
        let (files, _) = LogReader.expand(paths)
        return files.allSatisfy(FileBytes.isRegularFileOrMissing)
    }

    /// A file of a pass and how much of it was read.
    public struct File: Sendable, Equatable {
        /// The path.
        public var path: String
        /// The bytes read, from the start; nil when it could not be opened.
        public var byteCount: Int?
    }

    /// Visits every event of every file and directory in `paths`, handing
    /// telemetry samples to `visitSample` unwrapped and every other event to
    /// `visit`; `segment` is given each segment's header before its events
    /// (a sample belongs to the run it names). With `samplesOnly`, only
    /// samples are decoded and visited (see
    /// ``SegmentDecoder/decode(_:samplesOnly:segment:visit:visitSample:)``).
    public static func forEachEvent(
        in paths: [String], samplesOnly: Bool = false, segment: (SegmentHeader) -> Void,
        _ visit: (TraceEvent) -> Void,
        visitSample: (_ sequence: UInt64, _ timestamp: Int64, _ sample: TelemetrySample) -> Void
    ) -> Pass {
        let (files, expandDiagnostics) = LogReader.expand(paths)
        var pass = forEachEvent(
            in: files.map { File(path: $0, byteCount: nil) }, readingWhole: true, samplesOnly: samplesOnly,
            segment: segment, visit, visitSample: visitSample)
        pass.diagnostics = expandDiagnostics + pass.diagnostics
        return pass
    }

    /// Visits the events of `files` again, as an earlier pass read them:
    /// the same files, the first ``File/byteCount`` bytes of each (files
    /// that pass could not open are skipped).
    public static func forEachEvent(
        in files: [File], samplesOnly: Bool = false, segment: (SegmentHeader) -> Void,
        _ visit: (TraceEvent) -> Void,
        visitSample: (_ sequence: UInt64, _ timestamp: Int64, _ sample: TelemetrySample) -> Void
    ) -> Pass {
        forEachEvent(in: files, readingWhole: false, samplesOnly: samplesOnly, segment: segment, visit, visitSample: visitSample)
    }

    private static func forEachEvent(
        in files: [File], readingWhole: Bool, samplesOnly: Bool, segment: (SegmentHeader) -> Void,
        _ visit: (TraceEvent) -> Void,
        visitSample: (_ sequence: UInt64, _ timestamp: Int64, _ sample: TelemetrySample) -> Void
    ) -> Pass {
        forEachSegment(in: files, readingWhole: readingWhole) { content throws(SegmentDecodingError) in
            try SegmentDecoder.decode(
                content, samplesOnly: samplesOnly, segment: segment, visit: visit, visitSample: visitSample)
        }
    }

    /// Visits every event of every file and directory in `paths` as
    /// ``forEachEvent(in:samplesOnly:segment:_:visitSample:)-(String,_,_,_,_)``
    /// does, but hands samples over as their energy fields only, with their
    /// source numbered by `sourceID` (see
    /// ``SegmentDecoder/decodeEnergy(_:samplesOnly:segment:visit:sourceID:visitEnergy:)``).
    package static func forEachEnergy(
        in paths: [String], samplesOnly: Bool = false, segment: (SegmentHeader) -> Void,
        _ visit: (TraceEvent) -> Void, sourceID: (String?) -> Int,
        visitEnergy: (_ sequence: UInt64, _ timestamp: Int64, _ source: Int, _ fields: EnergyFields) -> Void
    ) -> Pass {
        let (files, expandDiagnostics) = LogReader.expand(paths)
        var pass = forEachEnergyPipelined(
            in: files.map { File(path: $0, byteCount: nil) }, readingWhole: true, samplesOnly: samplesOnly,
            segment: segment, visit, sourceID: sourceID, visitEnergy: visitEnergy)
        pass.diagnostics = expandDiagnostics + pass.diagnostics
        return pass
    }

    /// The energy fields of `files` again, as an earlier pass read them.
    package static func forEachEnergy(
        in files: [File], samplesOnly: Bool = false, segment: (SegmentHeader) -> Void,
        _ visit: (TraceEvent) -> Void, sourceID: (String?) -> Int,
        visitEnergy: (_ sequence: UInt64, _ timestamp: Int64, _ source: Int, _ fields: EnergyFields) -> Void
    ) -> Pass {
        forEachEnergyPipelined(
            in: files, readingWhole: false, samplesOnly: samplesOnly, segment: segment, visit, sourceID: sourceID,
            visitEnergy: visitEnergy)
    }

    /// Reads `files` frame by frame, decoding each segment with `decode`.
    static func forEachSegment(
        in files: [File], readingWhole: Bool,
        decode: (UnsafeRawBufferPointer) throws(SegmentDecodingError) -> DecodedSegment
    ) -> Pass {
        var pass = Pass()
        var lastSequence: [String: UInt64] = [:]
        var recorders: [String: String] = [:]
        // Each run's segments as read, for the gaps (when in order).
        var seen: [String: [(header: SegmentHeader, file: String, frame: Int, byteOffset: Int)]] = [:]
        for entry in files {
            let path = entry.path
            if !readingWhole && entry.byteCount == nil { continue }
            switch MappedFile.open(path, limit: readingWhole ? nil : entry.byteCount) {
            case .failure(let error):
                pass.files.append(File(path: path, byteCount: nil))
                pass.diagnostics.append(LogDiagnostic(severity: .error, file: path, message: error.reason))
            case .success(let file):
                pass.files.append(File(path: path, byteCount: file.bytes.count))
                let contents = withExtendedLifetime(file) {
                    LogFileScanner.walk(file.bytes, path: path, frameDone: { file.release(before: $0) }) { content in
                        Result { () throws(SegmentDecodingError) in try decode(content) }
                    }
                }
                pass.diagnostics += contents.diagnostics
                for read in contents.segments {
                    let header = read.segment.header
                    if let last = lastSequence[header.runID] {
                        if header.segmentSequence <= last { pass.segmentsInOrder = false }
                        // A run of several recorders is put in one record
                        // order by the reader.
                        if recorders[header.runID] != header.recorderID { pass.segmentsInOrder = false }
                    } else {
                        pass.runs.append(header.runID)
                        recorders[header.runID] = header.recorderID
                    }
                    lastSequence[header.runID] = max(lastSequence[header.runID] ?? 0, header.segmentSequence)
                    seen[header.runID, default: []].append((header, path, read.frameIndex, read.byteOffset))
                    pass.segmentCount += 1
                    pass.eventCount += read.eventCount
                }
            }
        }
        // In order, the reader would report the same gaps, after every
        // file's problems, run by run.
        if pass.segmentsInOrder {
            for run in pass.runs { pass.diagnostics += LogReader.gaps(run: run, seen[run] ?? []) }
        }
        return pass
    }
}
