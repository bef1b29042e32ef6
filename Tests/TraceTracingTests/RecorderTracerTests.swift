import Foundation
import Testing
import TraceLog
import TraceRecorder
import TraceTracing
import Tracing

private struct ToolFailure: Error, CustomStringConvertible {
    var description: String { "no such city" }
}

/// Records with a ``RecorderTracer`` and reads the events back (run start excluded).
private func recorded(_ body: (RecorderTracer) async throws -> Void) async throws -> [EventPayload] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agent-trace-tracing-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("\(UUID().uuidString).zst").path
    defer { unlink(path) }
    let recorder = try Recorder(path: path)
    try await body(RecorderTracer(recorder))
    try recorder.close()
    let set = LogReader.read([path])
    #expect(set.diagnostics.isEmpty)
    return set.runs.first?.events.map(\.payload) ?? []
}

@Suite struct RecorderTracerTests {
    @Test func genAISpansBecomeAQueryItsCallsAndItsTools() async throws {
        let events = try await recorded { tracer in
            try? await tracer.withSpan("invoke_agent weather") { agent in
                agent.attributes["gen_ai.operation.name"] = "invoke_agent"
                agent.attributes["gen_ai.agent.name"] = "weather"
                agent.attributes["gen_ai.conversation.id"] = "conv-7"
                await tracer.withSpan("chat gpt-4o", ofKind: .client) { call in
                    call.attributes["gen_ai.request.model"] = "gpt-4o"
                    call.attributes["gen_ai.response.model"] = "gpt-4o-2024-08-06"
                    call.attributes["gen_ai.usage.input_tokens"] = 812
                    call.attributes["gen_ai.usage.output_tokens"] = 64
                    call.attributes["gen_ai.usage.cache_read.input_tokens"] = 512
                    await Task.yield()
                }
                // After the call, not inside it: its parent is the call.
                try await tracer.withSpan("execute_tool get_weather") { tool in
                    tool.attributes["gen_ai.tool.name"] = "get_weather"
                    await Task.yield()
                    throw ToolFailure()
                }
            }
        }
        let kinds = events.map(\.kind)
        #expect(kinds == [.queryStart, .inferenceStart, .inferenceEnd, .toolStart, .toolEnd, .queryEnd], "\(events)")
        guard case .queryStart(let start) = events[0], case .inferenceStart(let callStart) = events[1],
              case .inferenceEnd(let callEnd) = events[2], case .toolStart(let toolStart) = events[3],
              case .toolEnd(let toolEnd) = events[4], case .queryEnd(let end) = events[5]
        else { return }
        let query = try #require(start.queryID)
        #expect(query.count == 16)
        #expect(start.labels == [Label("conversation_id", "conv-7"), Label("agent_name", "weather")])
        #expect(callStart.queryID == query && callEnd.spanID == callStart.spanID)
        #expect(callEnd.model == "gpt-4o" && callEnd.routedModel == "gpt-4o-2024-08-06")
        #expect(callEnd.promptTokens == 812 && callEnd.completionTokens == 64 && callEnd.cachedTokens == 512)
        #expect(callEnd.status == "ok")
        #expect(toolStart.tool == "get_weather" && toolStart.parentSpanID == callStart.spanID && toolStart.queryID == query)
        #expect(toolEnd.ok == false && toolEnd.error == "ToolFailure: no such city")
        #expect(end.queryID == query && end.status == "failed" && end.error == "ToolFailure: no such city")
    }

    @Test func concurrentCallsKeepTheirOwnToolsAndOtherSpansAreMarks() async throws {
        let events = try await recorded { tracer in
            await tracer.withSpan("invoke_workflow plan") { _ in
                await withTaskGroup(of: Void.self) { group in
                    for model in ["alpha", "beta"] {
                        group.addTask {
                            await tracer.withSpan("chat \(model)", ofKind: .client) { call in
                                call.attributes["gen_ai.request.model"] = model
                                await tracer.withSpan("execute_tool lookup-\(model)") { _ in await Task.yield() }
                            }
                        }
                    }
                }
                tracer.withSpan("retrieve documents") { span in span.setStatus(SpanStatus(code: .error, message: "index down")) }
            }
        }
        var callOfModel: [String: String] = [:]
        for case .inferenceEnd(let end) in events { callOfModel[end.model ?? ""] = end.spanID }
        var parentOfTool: [String: String] = [:]
        for case .toolStart(let start) in events { parentOfTool[start.tool ?? ""] = start.parentSpanID }
        #expect(parentOfTool == ["lookup-alpha": callOfModel["alpha"]!, "lookup-beta": callOfModel["beta"]!])
        let marks = events.compactMap { if case .mark(let m) = $0 { m } else { nil } }
        #expect(marks.map(\.name) == ["retrieve documents"] && marks.first?.text == "error: index down")
        #expect(events.first?.kind == .queryStart && events.last?.kind == .queryEnd)
    }
}
