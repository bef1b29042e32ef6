/// Where every segment of a set of logs is, found by one pass that keeps
/// no events, and the order ``LogReader`` reads them in: what lets a command
/// visit the events of logs of any size, in record order, run by run, with
/// one segment in memory at a time.
///
/// ``files`` and ``diagnostics`` are those of ``LogReader/read(_:)`` (the
/// files' segments hold no events); ``forEachEvent(_:)`` decodes the frames
/// again, in the reader's order.
package struct LogIndex: Sendable {
    /// The files read, in the order read; their segments' `events` are empty.
    package var files: [LogFileContents]
    /// Problems found while reading and ordering, as ``LogReader`` gives them.
    package var diagnostics: [LogDiagnostic]
    /// The runs, in order of first appearance.
    package var runs: [String]
    /// Each run's segments, in segment-sequence order, duplicates left out.
    package var places: [[(file: Int, segment: Int)]]

    /// Indexes every file and directory in `paths`.
    package static func build(_ paths: [String]) -> LogIndex {
        let (names, expandDiagnostics) = LogReader.expand(paths)
        var diagnostics = expandDiagnostics
        var files: [LogFileContents] = []
        for path in names {
            switch MappedFile.open(path) {
            case .failure(let error):
                files.append(LogFileContents(
                    path: path, byteCount: 0, segments: [], damagedFrames: 0,
                    diagnostics: [LogDiagnostic(severity: .error, file: path, message: error.reason)]))
            case .success(let file):
                files.append(withExtendedLifetime(file) {
                    LogFileScanner.walk(file.bytes, path: path, frameDone: { file.release(before: $0) }) { content in
                        Result { () throws(SegmentDecodingError) in
                            try SegmentDecoder.decode(content, samplesOnly: false, segment: { _ in }, visit: { _ in },
                                                      visitSample: { _, _, _ in })
                        }
                    }
                })
            }
            diagnostics += files[files.count - 1].diagnostics
        }
        let (runs, places, duplicates) = LogReader.runOrder(files)
        return LogIndex(files: files, diagnostics: diagnostics + duplicates, runs: runs, places: places)
    }

    /// Whether the whole set is intact (as ``LogSet/isIntact``).
    package var isIntact: Bool { files.allSatisfy(\.isIntact) && !diagnostics.contains { $0.severity == .error } }

    /// Visits every event of run `run` (an index into ``runs``) in record
    /// order, decoding its segments again one at a time; the events before
    /// a segment's problem are visited, as ``LogReader`` keeps them.
    package func forEachEvent(ofRun run: Int, _ visit: (TraceEvent) -> Void) {
        var openFile: (index: Int, file: MappedFile)?
        let decompressor = ZstdDecompressor()
        var shift = RecorderShift()
        func shifted(_ event: TraceEvent) {
            var event = event
            shift.apply(&event)
            visit(event)
        }
        for place in places[run] {
            if openFile?.index != place.file {
                guard case .success(let file) = MappedFile.open(files[place.file].path, limit: files[place.file].byteCount)
                else { continue }
                openFile = (place.file, file)
            }
            guard let file = openFile?.file else { continue }
            let read = files[place.file].segments[place.segment]
            let range = read.byteOffset..<(read.byteOffset + read.compressedBytes)
            guard range.upperBound <= file.bytes.count else { continue }
            let frame = UnsafeRawBufferPointer(rebasing: file.bytes[range])
            ReadProgress.add(range.count)
            guard let size = ZstdFrames.contentSize(frame), size <= UInt64(ZstdFrames.maximumContentSize) else { continue }
            let runID = read.segment.header.runID
            shift.begin(read.segment.header)
            _ = try? decompressor.decompress(frame, contentSize: Int(size)) { content in
                _ = try? SegmentDecoder.decode(content, samplesOnly: false, segment: { _ in }, visit: shifted) {
                    sequence, timestamp, sample in
                    shifted(TraceEvent(runID: runID, sequence: sequence, timestamp: timestamp, payload: .sample(sample)))
                }
            }
            file.release(range)
        }
    }
}
