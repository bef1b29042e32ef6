import Foundation
import Testing
import TraceLog
import TraceRecorder

/// Records with `body`, closes, and reads the events back (run start excluded).
private func recorded(_ body: (Recorder) async throws -> Void) async throws -> [EventPayload] {
    let path = temporaryPath("scopes")
    defer { unlink(path) }
    let recorder = try Recorder(path: path)
    try await body(recorder)
    try recorder.close()
    let set = LogReader.read([path])
    #expect(set.diagnostics.isEmpty)
    return set.runs.first?.events.map(\.payload) ?? []
}

private struct Timeout: Error, CustomStringConvertible {
    var description: String { "the model did not answer" }
}

@Suite struct RecordingScopeTests {
    @Test func nestedScopesGenerateIdsAndCarryTheQueryAndTheParent() async throws {
        let events = try await recorded { recorder in
            recorder.query(text: "2+2?", labels: [Label("data_id", "d1")]) { q in
                let answer = recorder.inference(model: "gpt-4o") { call in
                    call.tokens(prompt: 812, completion: 64)
                    call.cost(usd: 0.002)
                    return "4"
                }
                // After the call, in the same query: its parent is that call.
                recorder.tool("calculator", arguments: "2+2") { t in t.outputBytes(1) }
                q.response(answer)
                q.resolved(true)
            }
        }
        #expect(events.count == 6)
        guard case .queryStart(let start) = events[0], case .inferenceStart(let callStart) = events[1],
              case .inferenceEnd(let callEnd) = events[2], case .toolStart(let toolStart) = events[3],
              case .toolEnd(let toolEnd) = events[4], case .queryEnd(let end) = events[5]
        else {
            Issue.record("unexpected events: \(events)")
            return
        }
        let queryID = try #require(start.queryID)
        #expect(queryID.hasPrefix("q"))
        #expect(start.text == "2+2?" && start.labels == [Label("data_id", "d1")] && start.workloadType == "agentic")
        #expect(callStart.queryID == queryID && callEnd.queryID == queryID && toolStart.queryID == queryID)
        #expect(callStart.spanID == callEnd.spanID && callStart.spanID?.hasPrefix("c") == true)
        #expect(callEnd.promptTokens == 812 && callEnd.completionTokens == 64 && callEnd.costUSD == 0.002)
        #expect(callEnd.status == "ok" && callEnd.model == "gpt-4o")
        #expect(toolStart.parentSpanID == callStart.spanID && toolStart.tool == "calculator" && toolStart.arguments == "2+2")
        #expect(toolEnd.spanID == toolStart.spanID && toolEnd.ok == true && toolEnd.outputBytes == 1)
        #expect(end.queryID == queryID && end.status == "completed" && end.response == "4" && end.resolved == true)
    }

    @Test func aThrowingBodyEndsEverySpanWithTheErrorAndRethrows() async throws {
        var caught: (any Error)?
        let events = try await recorded { recorder in
            do {
                try recorder.query("q1") { _ in
                    try recorder.inference(model: "m", spanID: "c1") { _ in
                        try recorder.tool("search", spanID: "t1") { _ in throw Timeout() }
                    }
                }
            } catch {
                caught = error
            }
        }
        #expect(caught is Timeout)
        let ends = events.filter { [.queryEnd, .inferenceEnd, .toolEnd].contains($0.kind) }
        guard ends.count == 3, case .toolEnd(let tool) = ends[0], case .inferenceEnd(let call) = ends[1],
              case .queryEnd(let query) = ends[2]
        else {
            Issue.record("unexpected events: \(events)")
            return
        }
        #expect(tool.spanID == "t1" && tool.ok == false && tool.error == "Timeout: the model did not answer")
        #expect(call.spanID == "c1" && call.status == "error" && call.error == "Timeout: the model did not answer")
        #expect(query.queryID == "q1" && query.status == "failed" && query.error == "Timeout: the model did not answer")
    }

    @Test func childTasksInheritTheQueryAndTheirOwnCallAsParent() async throws {
        let events = try await recorded { recorder in
            await recorder.query("q1") { _ in
                await withTaskGroup(of: Void.self) { group in
                    for model in ["alpha", "beta"] {
                        group.addTask {
                            await recorder.inference(model: model, spanID: "c-\(model)") { _ in
                                await recorder.tool("lookup", spanID: "t-\(model)") { _ in await Task.yield() }
                            }
                        }
                    }
                }
            }
        }
        var parents: [String: String] = [:]
        for case .toolStart(let start) in events {
            #expect(start.queryID == "q1")
            parents[start.spanID ?? ""] = start.parentSpanID
        }
        #expect(parents == ["t-alpha": "c-alpha", "t-beta": "c-beta"])
        let calls = events.compactMap { if case .inferenceStart(let s) = $0 { s.queryID } else { nil } }
        #expect(calls == ["q1", "q1"])
        #expect(events.filter { $0.kind == .inferenceEnd }.count == 2)
    }

    @Test func outsideAQueryNothingIsInvented() async throws {
        let events = try await recorded { recorder in
            recorder.tool("standalone") { _ in }
        }
        guard case .toolStart(let start) = events.first else {
            Issue.record("unexpected events: \(events)")
            return
        }
        #expect(start.queryID == nil && start.parentSpanID == nil)
    }
}
