import Foundation
import Testing
import TraceAnalysis
import TraceLog
@testable import TraceCommands

/// The streamed analysis (two passes over the files, no events held but the
/// non-samples) prints what reading the logs whole prints: the same rows in
/// every view and format, the same diagnostics, on intact and damaged logs;
/// and it declines logs whose order it cannot follow.
@Suite("Streamed analysis equals reading the logs whole")
struct StreamedAnalysisTests {
    static let views: [AnalysisView] = [.turn, .query, .run, .view(.label("data_id")), .view(.tool), .view(.model)]

    /// Writes `files` to a fresh directory; their paths.
    static func write(_ files: [[UInt8]]) -> [String] {
        let dir = temporaryDirectory()
        return files.enumerated().map { i, bytes in
            let path = dir.appendingPathComponent("log-\(i).zst").path
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            return path
        }
    }

    /// Every view and format of `paths` both ways; nil when the stream declines.
    static func compare(_ paths: [String]) -> (streamed: [String], whole: [String])? {
        guard let streamed = StreamedLogAnalysis.analyze(paths, metricSet: DefaultMetricSet()) else { return nil }
        let log = LogReader.read(paths)
        var a = [streamed.pass.diagnostics.map(\.description).joined(separator: "\n")]
        var b = [log.diagnostics.map(\.description).joined(separator: "\n")]
        for view in views {
            for format in [OutputFormat.table, .csv, .json] {
                let report = AnalysisReport(metricSet: DefaultMetricSet(), view: view, format: format)
                let (x, notesX) = report.render(analyzed: streamed.runs, spanEnergy: streamed.spanEnergy)
                let (y, notesY) = report.render(log)
                a.append(x + notesX.diagnostics.map(\.description).joined(separator: "\n"))
                b.append(y + notesY.diagnostics.map(\.description).joined(separator: "\n"))
            }
        }
        #expect(streamed.pass.segmentCount == log.files.reduce(0) { $0 + $1.segments.count })
        return (a, b)
    }

    static let frames = Catalogue.frames(Catalogue.events(Catalogue.wellFormed), perSegment: 3)

    @Test("the bundled logs of every format version")
    func bundled() throws {
        let logs = bundledLogs()
        #expect(logs.count >= 2)
        for log in logs {
            let result = try #require(Self.compare([log.path]))
            #expect(result.streamed == result.whole, "\(log.lastPathComponent)")
        }
    }

    @Test("several segments, several files, two runs interleaved")
    func segmentsFilesAndRuns() throws {
        let split = try #require(Self.compare(Self.write([Self.frames.flatMap { $0 }])))
        #expect(split.streamed == split.whole)
        let rotated = try #require(Self.compare(Self.write([Self.frames[0], Self.frames[1] + Self.frames[2]])))
        #expect(rotated.streamed == rotated.whole)
        let a = Catalogue.frames(Catalogue.events(Catalogue.wellFormed), runID: "A", perSegment: 3)
        let b = Catalogue.frames(Catalogue.events(Catalogue.wellFormed), runID: "B", perSegment: 4)
        let runs = try #require(Self.compare(Self.write([a[0] + b[0] + a[1] + b[1] + b[2] + a[2]])))
        #expect(runs.streamed == runs.whole)
        #expect(runs.streamed[8].hasPrefix("run_id") && runs.streamed[8].contains("\nA,") && runs.streamed[8].contains("\nB,"))
    }

    @Test("damage: a torn last frame, garbage between frames, empty and foreign files")
    func damage() throws {
        let whole = Self.frames.flatMap { $0 }
        let torn = try #require(Self.compare(Self.write([Array(whole.dropLast(7))])))
        #expect(torn.streamed == torn.whole)
        #expect(torn.streamed[0].contains("torn final frame"))
        let garbage = try #require(Self.compare(Self.write([Self.frames[0] + Array("not a frame".utf8) + Self.frames[1]])))
        #expect(garbage.streamed == garbage.whole)
        #expect(!garbage.streamed[0].isEmpty)
        let odd = try #require(Self.compare(Self.write([[], Array("plain text".utf8), Self.frames[0]])))
        #expect(odd.streamed == odd.whole)
        #expect(odd.streamed[0].contains("empty file"))
        let missing = try #require(Self.compare(["/nonexistent/run.zst"] + Self.write([whole])))
        #expect(missing.streamed == missing.whole)
    }

    @Test("a second pass reads the bytes the first read, though the log grew in between")
    func growingLog() throws {
        let paths = Self.write([Self.frames[0] + Self.frames[1]])
        var first = 0
        let pass = LogStream.forEachEvent(in: paths) { _ in } _: { _ in first += 1 } visitSample: { _, _, _ in first += 1 }
        #expect(first == 6 && pass.files.map(\.byteCount) == [Self.frames[0].count + Self.frames[1].count])
        // The recorder appends a segment and starts another (torn) one.
        let handle = try #require(FileHandle(forWritingAtPath: paths[0]))
        handle.seekToEndOfFile()
        handle.write(Data(Self.frames[2] + Self.frames[0].prefix(9)))
        try handle.close()
        var second = 0
        let again = LogStream.forEachEvent(in: pass.files) { _ in } _: { _ in second += 1 } visitSample: { _, _, _ in second += 1 }
        #expect(second == first)
        #expect(again.diagnostics.isEmpty && again.segmentCount == 2)
        // A fresh pass sees the new segment and the torn tail.
        var third = 0
        let fresh = LogStream.forEachEvent(in: paths) { _ in } _: { _ in third += 1 } visitSample: { _, _, _ in third += 1 }
        #expect(third == 9 && fresh.diagnostics.count == 1)
    }

    @Test("segments out of order or repeated are left to the whole-log reader")
    func declined() {
        #expect(StreamedLogAnalysis.analyze(Self.write([Self.frames.reversed().flatMap { $0 }]), metricSet: DefaultMetricSet()) == nil)
        #expect(StreamedLogAnalysis.analyze(Self.write([Self.frames[1], Self.frames[0]]), metricSet: DefaultMetricSet()) == nil)
        let repeated = Self.frames[0] + Self.frames[0] + Self.frames[1]
        #expect(StreamedLogAnalysis.analyze(Self.write([repeated]), metricSet: DefaultMetricSet()) == nil)
    }

    @Test("the command prints the same with and without --no-stream, also where the stream declines")
    func command() throws {
        let reversed = Self.write([Self.frames.reversed().flatMap { $0 }])
        for paths in bundledLogs().map({ [$0.path] }) + [reversed] {
            for view in ["turn", "query", "run", "tool", "model"] {
                let streamed = try runProcess(traceAnalyzeBinary, paths + ["--by", view, "--format", "csv"])
                let whole = try runProcess(traceAnalyzeBinary, paths + ["--by", view, "--format", "csv", "--no-stream"])
                #expect(streamed.status == whole.status)
                #expect(streamed.stdout == whole.stdout)
                #expect(streamed.stderr == whole.stderr)
                #expect(!streamed.stdout.isEmpty)
            }
        }
    }
}
