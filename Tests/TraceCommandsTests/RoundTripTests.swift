import Foundation
import Testing
import TraceAnalysis
import TraceInterchange
import TraceLog
@testable import TraceCommands

@Suite struct RoundTripTests {
    func dump(_ log: LogSet) -> [UInt8] {
        var bytes: [UInt8] = []
        let encoder = InterchangeEncoder()
        for run in log.runs {
            for event in run.events {
                encoder.encode(event, into: &bytes)
                bytes.append(0x0A)
            }
        }
        return bytes
    }

    func importLines(_ bytes: [UInt8], segmentBytes: Int = 1 << 20) throws -> (path: String, report: JSONLinesImporter.Report) {
        let path = temporaryDirectory().appendingPathComponent("imported.zst").path
        let report = try bytes.withUnsafeBytes {
            try JSONLinesImporter(inputName: "events.jsonl", segmentBytes: segmentBytes).importLines($0, to: path)
        }
        return (path, report)
    }

    @Test func importOfADumpAnalysesByteIdentically() throws {
        let original = LogReader.read([bundledLogs()[0].path])
        let (path, report) = try importLines(dump(original), segmentBytes: 4096)
        #expect(report.errors.isEmpty)
        let imported = LogReader.read([path])
        #expect(imported.isIntact)
        #expect(imported.files[0].segments.count > 1)
        for set in MetricSets.all {
            for view in [AnalysisView.turn, .query, .run] {
                for format in OutputFormat.allCases {
                    let report = AnalysisReport(metricSet: set, view: view, format: format)
                    #expect(report.render(original).output == report.render(imported).output,
                        "\(set.identity) \(view) \(format)")
                }
            }
        }
        // And the events themselves are the same, in the same order.
        #expect(imported.runs.map(\.runID) == original.runs.map(\.runID))
        #expect(imported.runs[0].events.map(\.payload) == original.runs[0].events.map(\.payload))
        #expect(imported.runs[0].events.map(\.timestamp) == original.runs[0].events.map(\.timestamp))
        // dump → import → dump is a fixed point.
        #expect(dump(imported) == dump(original))
    }

    @Test func twoAnalysesOfOneLogAreByteIdentical() throws {
        let path = bundledLogs()[0].path
        for set in MetricSets.all {
            let report = AnalysisReport(metricSet: set, view: .turn, format: .json)
            #expect(report.render(LogReader.read([path])).output == report.render(LogReader.read([path])).output)
        }
    }

    /// Each of the two passes over the input (fingerprint, lines) gives back
    /// every byte it read, in order: a mapped input's pages are released by
    /// the second pass too, not only up to where the first one stopped.
    @Test func bothPassesGiveBackTheWholeInputInOrder() throws {
        var bytes: [UInt8] = []
        for i in 0..<18_000 {
            bytes += Array("{\"type\":\"sample\",\"t\":\(i + 1),\"source\":\"gpu0\",\"gpu_power_w\":\(100 + i % 7)}\n".utf8)
        }
        #expect(bytes.count > 1 << 20)
        let path = temporaryDirectory().appendingPathComponent("released.zst").path
        var ranges: [Range<Int>] = []
        let report = try bytes.withUnsafeBytes {
            try JSONLinesImporter(inputName: "events.jsonl", segmentBytes: 1 << 20).importLines($0, to: path) { ranges.append($0) }
        }
        #expect(report.events == 18_000)
        // Split the ranges into passes where they start again from zero.
        var passes: [[Range<Int>]] = []
        for range in ranges where !range.isEmpty {
            if range.lowerBound == 0 || passes.isEmpty { passes.append([]) }
            passes[passes.count - 1].append(range)
        }
        #expect(passes.count == 2)
        for pass in passes {
            #expect(pass.first?.lowerBound == 0)
            #expect(pass.last?.upperBound == bytes.count)
            #expect(zip(pass, pass.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        }
    }

    @Test func importingTheSameLinesTwiceWritesTheSameBytes() throws {
        let lines = Array("""
            {"type":"query_start","t":1732238400.125,"query_id":"q1"}
            {"type":"query_end","t":1732238401,"query_id":"q1","status":"completed"}

            """.utf8)
        let a = try importLines(lines), b = try importLines(lines)
        #expect(FileManager.default.contents(atPath: a.path) == FileManager.default.contents(atPath: b.path))
        let run = try #require(LogReader.read([a.path]).runs.first)
        #expect(run.runID.hasPrefix("import-"))
        #expect(run.events.map(\.timestamp) == [1_732_238_400_125_000_000, 1_732_238_401_000_000_000])
    }

    @Test func theRunIDComesFromTheFirstRunStartEvenAfterOtherLines() throws {
        let lines = Array("""
            {"type":"sample","t":1,"source":"gpu0","gpu_power_w":100}
            {"type":"mark","t":2,"name":"run_start is just a name here"}
            {"type":"run_start","t":3,"run_id":"r-late"}
            {"type":"run_start","t":4,"run_id":"r-second"}

            """.utf8)
        let (path, report) = try importLines(lines)
        #expect(report.errors.isEmpty)
        #expect(LogReader.read([path]).runs.map(\.runID) == ["r-late"])
    }

    @Test func badLinesAreReportedWithTheirNumbersAndGoodLinesKept() throws {
        let lines = Array("""
            {"type":"run_start","t":1,"run_id":"r-bad"}
            {"type":"query_start","t":2,"query_id":"q1"}
            {"type":"inference_end","t":3,"prompt_tokens":8.5}
            not json
            {"type":"telepathy","t":4}
            {"type":"mark","name":"no time"}
            {"type":"query_end","t":5,"query_id":"q1"}
            """.utf8)
        let (path, report) = try importLines(lines)
        #expect(report.events == 3)
        #expect(report.errors.count == 3)
        #expect(report.errors[0].hasPrefix("events.jsonl:3: column"))
        #expect(report.errors[0].contains("prompt_tokens"))
        #expect(report.errors[1].hasPrefix("events.jsonl:4: column 1"))
        #expect(report.errors[2] == "events.jsonl:6: missing \"t\" or \"t_ns\"")
        #expect(report.warnings == ["events.jsonl:5: unknown type \"telepathy\"; line skipped"])
        let run = try #require(LogReader.read([path]).runs.first)
        #expect(run.runID == "r-bad")
        #expect(run.events.count == 3)
    }
}
