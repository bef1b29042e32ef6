import Foundation
import Testing
import TraceLog

/// ``LogIndex`` (what `verify` and `dump` read through, one segment at a
/// time) sees what ``LogReader`` sees: the same files, diagnostics, runs and
/// events in the same order, whatever the arrangement of segments.
@Suite struct LogIndexTests {
    static func sameAsReader(_ paths: [String], _ comment: Comment) {
        let whole = LogReader.read(paths)
        let index = LogIndex.build(paths)
        #expect(index.diagnostics == whole.diagnostics, comment)
        #expect(index.files.map(\.eventCount) == whole.files.map(\.eventCount), comment)
        #expect(index.files.map(\.isIntact) == whole.files.map(\.isIntact), comment)
        #expect(index.isIntact == whole.isIntact, comment)
        #expect(index.runs == whole.runs.map(\.runID), comment)
        for (run, log) in whole.runs.enumerated() {
            var events: [TraceEvent] = []
            index.forEachEvent(ofRun: run) { events.append($0) }
            #expect(events == log.events, comment)
        }
    }

    @Test func everyArrangementReadsAsTheReaderReadsIt() {
        let frames = StreamedAnalysisTests.frames
        let a = Catalogue.frames(Catalogue.events(Catalogue.wellFormed), runID: "A", perSegment: 3)
        let b = Catalogue.frames(Catalogue.events(Catalogue.wellFormed), runID: "B", perSegment: 4)
        let whole = frames.flatMap { $0 }
        Self.sameAsReader(StreamedAnalysisTests.write([whole]), "in order")
        Self.sameAsReader(StreamedAnalysisTests.write([frames.reversed().flatMap { $0 }]), "reversed")
        Self.sameAsReader(StreamedAnalysisTests.write([frames[1], frames[0] + frames[2]]), "rotated files out of order")
        Self.sameAsReader(StreamedAnalysisTests.write([frames[0] + frames[0] + frames[1]]), "a repeated segment")
        Self.sameAsReader(StreamedAnalysisTests.write([a[0] + b[0] + a[1] + b[1] + b[2] + a[2]]), "two runs interleaved")
        Self.sameAsReader(StreamedAnalysisTests.write([Array(whole.dropLast(7))]), "a torn last frame")
        Self.sameAsReader(StreamedAnalysisTests.write([frames[0] + Array("not a frame".utf8) + frames[1]]), "garbage")
        Self.sameAsReader(StreamedAnalysisTests.write([[], Array("plain text".utf8), frames[0]]), "empty and foreign files")
        Self.sameAsReader(["/nonexistent/run.zst"] + StreamedAnalysisTests.write([whole]), "a missing file")
        Self.sameAsReader(bundledLogs().map(\.path), "the bundled logs")
    }
}
