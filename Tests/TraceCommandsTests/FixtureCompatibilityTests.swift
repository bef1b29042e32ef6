import Foundation
import Testing
import TraceAnalysis
import TraceLog
@testable import TraceCommands

/// Logs written by every released format version stay readable and
/// analyse to their committed outputs, byte for byte.
@Suite struct FixtureCompatibilityTests {
    @Test func everyBundledLogIsIntact() throws {
        let logs = bundledLogs()
        #expect(!logs.isEmpty)
        for log in logs {
            let set = LogReader.read([log.path])
            #expect(set.isIntact, "\(log.lastPathComponent): \(set.diagnostics)")
            #expect(set.diagnostics.isEmpty)
            #expect(set.runs.count == 1)
        }
    }

    @Test(arguments: ["default", "default@2", "default@1", "ipw"], [AnalysisView.turn, .query, .run])
    func bundledLogsAnalyseToTheirExpectedOutputs(metricSet: String, view: AnalysisView) throws {
        for log in bundledLogs() {
            let name = log.deletingPathExtension().lastPathComponent
            let expectedURL = log.deletingLastPathComponent()
                .appendingPathComponent("expected/\(name).\(metricSet).\(view).csv")
            let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            let report = AnalysisReport(metricSet: try #require(MetricSets.named(metricSet)), view: view, format: .csv)
            let output = report.render(LogReader.read([log.path])).output
            #expect(output == expected, "\(expectedURL.lastPathComponent) differs")
        }
    }

    @Test func everyFormatVersionUpToTheCurrentOneHasABundledLog() throws {
        let versions = Set(bundledLogs().map { $0.deletingLastPathComponent().lastPathComponent })
        let expected = Set((1...SegmentHeader.currentFormatVersion).map { "format-v\($0)" })
        #expect(versions == expected)
        for log in bundledLogs() {
            let version = log.deletingLastPathComponent().lastPathComponent
            #expect(try "format-v\(firstSegmentVersion(of: log))" == version)
        }
    }

    /// The format version in the header of the file's first segment.
    func firstSegmentVersion(of log: URL) throws -> UInt64 {
        let bytes = try [UInt8](Data(contentsOf: log))
        return try bytes.withUnsafeBytes { raw in
            let frame = UnsafeRawBufferPointer(rebasing: raw[0..<(try ZstdFrames.compressedSize(raw))])
            let size = try #require(ZstdFrames.contentSize(frame))
            let content = try ZstdDecompressor().decompress(frame, contentSize: Int(size))
            return try content.withUnsafeBytes { try SegmentDecoder.decode($0).header.formatVersion }
        }
    }

    @Test func theDemoLogsOfEveryVersionHoldTheSameEvents() throws {
        let demos = bundledLogs().filter { $0.lastPathComponent == "demo-run.zst" }
        #expect(demos.count >= 2)
        let runs = try demos.map { try #require(LogReader.read([$0.path]).runs.first?.events) }
        for run in runs.dropFirst() { #expect(run == runs[0]) }
    }

    @Test func theDemoLogHasWhatTheDemoPromises() throws {
        for log in bundledLogs() where log.lastPathComponent == "demo-run.zst" {
            let events = try #require(LogReader.read([log.path]).runs.first?.events)
            let sources = Set(events.compactMap { e -> String? in
                if case .sample(let s) = e.payload { return s.source } else { return nil }
            })
            #expect(sources == ["gpu0", "cpu-package-0"])
            let queries = events.filter { if case .queryStart = $0.payload { true } else { false } }.count
            #expect(queries >= 5)
            let samples = events.filter { if case .sample = $0.payload { true } else { false } }
            let seconds = Double(samples.last!.timestamp - samples.first!.timestamp) / 1e9
            // 20 Hz per source, two sources.
            #expect(abs(Double(samples.count) / seconds / 2 - 20) < 1)
        }
    }
}
