import Foundation
import Testing
import TraceLog

@Suite("trace-record end to end", .serialized)
struct EndToEndTests {
    @Test("records the Python example agent, with telemetry, and passes its exit code on")
    func exampleAgent() throws {
        let log = TraceRecordBinary.temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        let result = try TraceRecordBinary.run([
            "-o", log, "--sample-hz", "100", "--source", "synthetic,proc", "--label", "scenario=e2e", "--label", "trial=1",
            "--", "python3", "clients/python/example_agent.py", "--queries", "3", "--turns", "3", "--exit-code", "7",
        ])
        #expect(result.status == 7)
        #expect(!result.standardError.contains("malformed"), "\(result.standardError)")

        let set = LogReader.read([log])
        #expect(set.diagnostics.isEmpty, "\(set.diagnostics)")
        let events = try #require(set.runs.first?.events)
        guard case .runStart(let start)? = events.first?.payload else {
            Issue.record("the first event is not the run start")
            return
        }
        #expect(start.recorderVersion != nil && start.host != nil)
        #expect(start.labels.contains(Label("scenario", "e2e")))
        #expect(start.labels.contains(Label("trial", "1")))
        #expect(start.labels.contains(Label("telemetry", "synthetic,proc")))

        var queryStarts: [QueryStart] = []
        var queryEnds: [QueryEnd] = []
        var inferenceStarts: [InferenceStart] = []
        var inferenceEnds: [InferenceEnd] = []
        var toolStarts: [ToolStart] = []
        var toolEnds: [ToolEnd] = []
        var samples: [TelemetrySample] = []
        var marks: [Mark] = []
        for event in events {
            switch event.payload {
            case .queryStart(let value): queryStarts.append(value)
            case .queryEnd(let value): queryEnds.append(value)
            case .inferenceStart(let value): inferenceStarts.append(value)
            case .inferenceEnd(let value): inferenceEnds.append(value)
            case .toolStart(let value): toolStarts.append(value)
            case .toolEnd(let value): toolEnds.append(value)
            case .sample(let value): samples.append(value)
            case .mark(let value): marks.append(value)
            case .runStart: break
            }
        }
        #expect(queryStarts.map(\.queryID) == ["q0001", "q0002", "q0003"])
        #expect(queryStarts.first?.labels == [Label("data_id", "d0")])
        #expect(queryEnds.map(\.status) == ["completed", "completed", "completed"])
        #expect(queryEnds.map(\.resolved) == [true, false, true])
        #expect(inferenceStarts.count == 9)
        #expect(inferenceStarts.allSatisfy { $0.model == "gpt-4o" })
        #expect(inferenceEnds.count == 9)
        #expect(inferenceEnds.map(\.promptTokens) == Array(repeating: [800, 900, 1000] as [Int64?], count: 3).flatMap { $0 })
        #expect(inferenceEnds.map(\.completionTokens).allSatisfy { $0 != nil })
        #expect(Set(inferenceStarts.compactMap(\.spanID)) == Set(inferenceEnds.compactMap(\.spanID)))
        // 2 tools per query, plus the one run in a forked child.
        #expect(toolStarts.count == 7)
        #expect(toolEnds.count == 7)
        #expect(toolStarts.allSatisfy { $0.parentSpanID != nil })
        let failed = toolEnds.filter { $0.ok == false }
        #expect(failed.count == 3)
        #expect(failed.allSatisfy { $0.tool == "calculator" && $0.error?.contains("ZeroDivisionError") == true })
        #expect(toolEnds.contains { $0.tool == "sandbox" && $0.outputBytes == 42 })
        #expect(marks.contains { $0.name == "sandbox_done" })
        #expect(marks.filter { $0.name == "thought" }.count == 9)
        #expect(marks.last?.name == "command_exit" && marks.last?.text == "exit 7")
        #expect(samples.contains { $0.source == "synthetic-gpu0" && $0.gpuEnergyJoules != nil })
        #expect(samples.contains { $0.source == "synthetic-cpu-package-0" && $0.cpuEnergyJoules != nil })
        #expect(samples.contains { $0.source == "proc" && $0.memoryBytes != nil })
        #expect(samples.count >= 6)
    }

    @Test("without the variable, the Python client does nothing and the agent still runs")
    func clientWithoutSocket() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "clients/python/example_agent.py", "--queries", "1", "--exit-code", "4"]
        process.currentDirectoryURL = TraceRecordBinary.repository
        var environment = ProcessInfo.processInfo.environment
        environment["AGENT_TRACE_SOCKET"] = nil
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 4)
    }
}
