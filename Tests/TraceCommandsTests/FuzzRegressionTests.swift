import Foundation
import HostileLogs
import Testing
import TraceAnalysis
import TraceInterchange
import TraceLog

/// Replays the fuzzers' seeds and every crash they found
/// (fixtures/fuzz-corpus/TARGET and fixtures/fuzz-corpus/regressions/TARGET)
/// through what the fuzz entry points in tools/fuzz/ do: none may crash.
@Suite struct FuzzRegressionTests {
    static func inputs(_ target: String) -> [URL] {
        let root = repositoryRoot.appendingPathComponent("fixtures/fuzz-corpus")
        return ["\(target)", "regressions/\(target)"].flatMap { dir -> [URL] in
            let url = root.appendingPathComponent(dir)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.sorted().map { url.appendingPathComponent($0) }
        }
    }

    static func analyze(_ segments: [DecodedSegment]) -> Int {
        var byRun: [String: [TraceEvent]] = [:]
        for segment in segments { byRun[segment.header.runID, default: []] += segment.events }
        var rendered = 0
        for (runID, events) in byRun {
            for set in MetricSets.all {
                let result = set.analyze(RunEvents(runID: runID, events: events))
                for rows in [result.turns, result.queries, result.runs] {
                    rendered += CSVRenderer().render(rows, metricSet: set.identity).count
                    rendered += JSONRenderer().render(rows, metricSet: set.identity).count
                    rendered += TableRenderer().render(rows, metricSet: set.identity).count
                }
            }
        }
        return rendered
    }

    @Test func scannerInputs() throws {
        let inputs = Self.inputs("scanner")
        #expect(inputs.count >= 4)
        for url in inputs {
            let bytes = try [UInt8](Data(contentsOf: url))
            let contents = bytes.withUnsafeBytes { LogFileScanner.scan($0, path: url.lastPathComponent) }
            _ = Self.analyze(contents.segments.map(\.segment))
        }
    }

    @Test func segmentInputs() throws {
        let inputs = Self.inputs("segment")
        #expect(inputs.count >= 6)
        for url in inputs {
            let bytes = try [UInt8](Data(contentsOf: url))
            let segment = bytes.withUnsafeBytes { try? SegmentDecoder.decode($0) }
            if let segment { _ = Self.analyze([segment]) }
        }
    }

    @Test func jsonLinesInputs() throws {
        let inputs = Self.inputs("jsonl")
        #expect(inputs.count >= 40)
        let encoder = InterchangeEncoder(timeFields: .seconds)
        for url in inputs {
            let text = try [UInt8](Data(contentsOf: url))
            var decoder = InterchangeDecoder()
            for line in text.split(separator: 0x0A, omittingEmptySubsequences: false) {
                guard let decoded = try? decoder.decode(Array(line)) else { continue }
                let printed = encoder.encode(timestamp: decoded.timestamp, payload: decoded.payload)
                var again = InterchangeDecoder()
                let reread = try #require(try again.decode(printed), "\(url.lastPathComponent): \(printed)")
                #expect(encoder.encode(timestamp: reread.timestamp, payload: reread.payload) == printed)
            }
        }
    }
}

/// The structure-aware fuzzer's short run (tools/fuzz.sh structured N runs
/// it longer): well-formed logs full of extreme values, every command over
/// each; none may crash, and every one must end.
@Suite struct StructuredFuzzTests {
    @Test(arguments: [UInt64(1), 2, 3, 7, 11, 42])
    func everyCommandSurvivesAHostileLog(seed: UInt64) throws {
        let dir = temporaryDirectory().path
        let log = dir + "/log.zst"
        try HostileLogs.write(seed: seed, to: log)
        #expect(!HostileLogs.events(seed: seed).isEmpty || seed == 0)
        for command in HostileLogs.commands(log: log, dir: dir) {
            let result = try runProcess(traceAnalyzeBinary, command)
            #expect(result.status < 128, "seed \(seed): \(command)")
            #expect(!result.stderr.contains("Fatal error"), "seed \(seed): \(command): \(result.stderr.suffix(500))")
        }
    }

    @Test func theLogsAreHostileAndReproducible() {
        // Across a few seeds: extreme timestamps, non-finite numbers, a 1 MB string.
        let events = (UInt64(1)...40).flatMap { HostileLogs.events(seed: $0) }
        #expect(events.contains { $0.1 == .min || $0.1 == .max })
        #expect(events.contains { if case .sample(let s) = $0.0 { s.gpuPowerWatts?.isNaN == true } else { false } })
        #expect(events.contains { if case .mark(let m) = $0.0 { (m.text?.utf8.count ?? 0) >= 1 << 20 } else { false } }
            || events.contains { if case .queryStart(let q) = $0.0 { (q.text?.utf8.count ?? 0) >= 1 << 20 } else { false } })
        #expect(HostileLogs.events(seed: 9).map(\.1) == HostileLogs.events(seed: 9).map(\.1))
    }
}
