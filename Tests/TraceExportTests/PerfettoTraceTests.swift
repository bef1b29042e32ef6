import Foundation
import Testing
import TraceAnalysis
import TraceLog
@testable import TraceExport

/// The timeline against the Trace Event Format's rules.
@Suite struct PerfettoTraceTests {
    let trace = PerfettoTrace(metricSet: MetricSets.named("default")!)

    func events(_ json: String) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["displayTimeUnit"] as? String == "ms")
        return try #require(object["traceEvents"] as? [[String: Any]])
    }

    /// Checks required fields per phase, nesting per thread and counter order.
    func checkFormat(_ events: [[String: Any]]) {
        var slices: [String: [(ts: Double, end: Double)]] = [:]
        var counters: [String: Double] = [:]
        for event in events {
            let ph = event["ph"] as? String
            #expect(event["pid"] is Int)
            #expect(event["name"] is String)
            switch ph {
            case "X":
                let ts = event["ts"] as? Double, dur = event["dur"] as? Double
                #expect(ts != nil && dur != nil && dur! >= 0 && event["tid"] is Int)
                slices["\(event["pid"]!)/\(event["tid"]!)", default: []].append((ts ?? 0, (ts ?? 0) + (dur ?? 0)))
            case "C":
                let ts = event["ts"] as? Double
                let args = event["args"] as? [String: Any]
                #expect(ts != nil && args?.values.allSatisfy { $0 is Double } == true)
                let key = "\(event["pid"]!)/\(event["name"]!)"
                if let last = counters[key] { #expect(ts! > last, "counter \(key) not monotonic") }
                counters[key] = ts
            case "M":
                let args = event["args"] as? [String: Any]
                #expect(["process_name", "thread_name", "process_sort_index", "thread_sort_index"].contains(event["name"] as? String))
                #expect(args?["name"] is String || args?["sort_index"] is Int)
            default:
                Issue.record("unexpected phase \(ph ?? "nil")")
            }
        }
        for (thread, list) in slices {
            var stack: [Double] = []
            for slice in list.sorted(by: { ($0.ts, -$0.end) < ($1.ts, -$1.end) }) {
                while let top = stack.last, top <= slice.ts + 5e-4 { stack.removeLast() }  // 1 ns tolerance for µs doubles
                if let top = stack.last { #expect(slice.end <= top + 5e-4, "slices on \(thread) do not nest") }
                stack.append(slice.end)
            }
        }
    }

    @Test func theDemoLogGivesAValidProperlyNestedTrace() throws {
        let json = trace.json(demoRuns)
        let events = try events(json)
        checkFormat(events)
        let slices = events.filter { $0["ph"] as? String == "X" }
        #expect(slices.filter { $0["cat"] as? String == "query" }.count == 6)
        #expect(slices.filter { $0["cat"] as? String == "turn" }.count == 15)
        #expect(slices.filter { $0["cat"] as? String == "tool" }.count == 15)
        let counterNames = Set(events.filter { $0["ph"] as? String == "C" }.compactMap { $0["name"] as? String })
        #expect(counterNames.isSuperset(of: ["gpu0 gpu_power_w", "gpu0 gpu_energy_j", "cpu-package-0 cpu_energy_j"]))
        let inference = try #require(slices.first { $0["cat"] as? String == "inference" })
        let args = try #require(inference["args"] as? [String: Any])
        #expect(args["model"] is String && args["input_tokens"] is Int)
        let turn = try #require(slices.first { $0["cat"] as? String == "turn" })
        #expect((turn["args"] as? [String: Any])?["gpu_energy_joules"] is Double)
    }

    @Test func sameLogSameBytes() {
        #expect(trace.json(demoRuns) == trace.json(LogReader.read([demoLogPath]).runs.map { RunEvents(runID: $0.runID, events: $0.events) }))
    }

    @Test func aToolThatOutlivesItsTurnMovesToAnOverlapThread() throws {
        let events = try events(trace.json([overlappingRun()]))
        checkFormat(events)
        let names = events.filter { $0["name"] as? String == "thread_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(names.first == "q1")
        #expect(names.contains("q1 (overlap 2)"))
        let slow = try #require(events.first { $0["name"] as? String == "slow" })
        #expect(slow["dur"] as? Double == 4_000_000)
    }

    @Test func microsecondsAreExact() {
        #expect(PerfettoTrace.microseconds(0) == "0")
        #expect(PerfettoTrace.microseconds(1_234_567) == "1234.567")
        #expect(PerfettoTrace.microseconds(1_000_500) == "1000.5")
        #expect(PerfettoTrace.microseconds(2_000) == "2")
    }

    @Test func layoutNestsOrMovesSlices() {
        let placed = TrackLayout.place([
            .init(start: 0, end: 10, rank: 0, id: 0), .init(start: 0, end: 5, rank: 1, id: 1),
            .init(start: 4, end: 7, rank: 3, id: 2), .init(start: 5, end: 10, rank: 1, id: 3),
        ])
        #expect(placed.tracks[0] == 0 && placed.tracks[1] == 0 && placed.tracks[3] == 0)
        #expect(placed.tracks[2] == 1)
        #expect(placed.count == 2)
    }

    @Test func theStreamedTraceIsTheWholeTrace() throws {
        // The same bytes whether the trace streams its logs (tracks spilled
        // to temporary files) or reads them whole, under every set.
        for path in ["format-v1", "format-v2", "format-v3"].map({ repositoryRoot.appendingPathComponent("fixtures/\($0)/demo-run.zst").path }) {
            let whole = LogReader.read([path]).runs.map { RunEvents(runID: $0.runID, events: $0.events) }
            for set in MetricSets.all {
                let trace = PerfettoTrace(metricSet: set)
                var streamed = ""
                let pass = try #require(trace.writeStreamed([path]) { streamed += $0 })
                #expect(pass.segmentCount > 0)
                #expect(streamed == trace.json(whole))
                #expect(streamed.contains("\"gpu0 gpu_energy_j\"") && streamed.contains("\"gpu0 temperature_c\""))
            }
        }
    }
}
