import Testing
import TraceLog
@testable import TraceAnalysis

/// The pairing rules of ``RunStructure`` (docs/METRICS.md, "Run
/// structure"), checked where users see them: the turn, query, tool and
/// model views of the default set.
@Suite struct RunStructureTests {
    /// The views of one run under the default set.
    struct Views {
        var turns: [AnalysisRow]
        var queries: [AnalysisRow]
        var tools: [AnalysisRow]
        var models: [AnalysisRow]
        var structure: RunStructure
        var diagnostics: [String]

        init(_ run: RunEvents) {
            let analyzed = AnalyzedRun(events: run, metricSet: DefaultMetricSet())
            turns = ViewKind.turn.rows([analyzed], prices: .default).rows
            queries = ViewKind.query.rows([analyzed], prices: .default).rows
            tools = ViewKind.tool.rows([analyzed], prices: .default).rows
            models = ViewKind.model.rows([analyzed], prices: .default).rows
            structure = analyzed.structure
            diagnostics = analyzed.result.diagnostics.map(\.description)
        }

        func column(_ rows: [AnalysisRow], _ name: String) -> [AnalysisValue] { rows.map { $0[name] ?? .null } }
    }

    /// The issue's case: a call that times out, then a retry, then a second turn.
    static func retryRun() -> RunEvents {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.add(100, .inferenceStart(InferenceStart(spanID: "c1", model: "alpha")))  // never ended
        log.inference(2000, 3000, span: "c2", model: "beta", prompt: 200, completion: 20)
        log.add(3100, .toolStart(ToolStart(spanID: "t1", tool: "search", parentSpanID: "c2")))
        log.add(3500, .toolEnd(ToolEnd(spanID: "t1", tool: "search", ok: true)))
        log.inference(4000, 5000, span: "c3", model: "gamma", prompt: 300, completion: 30)
        log.queryEnd(6000, "q1")
        return log.run
    }

    @Test func aTimedOutCallKeepsItsOwnTurnAndShiftsNothing() {
        let v = Views(Self.retryRun())
        #expect(v.column(v.turns, "model") == [.string("alpha"), .string("beta"), .string("gamma")])
        #expect(v.column(v.turns, "input_tokens") == [.null, .int(200), .int(300)])
        #expect(v.column(v.turns, "output_tokens") == [.null, .int(20), .int(30)])
        #expect(v.column(v.turns, "inference_latency_s") == [.null, .double(1.0), .double(1.0)])
        #expect(v.column(v.turns, "inference_ms_per_output_token") == [.null, .double(50), .double(1000.0 / 30)])
        #expect(v.column(v.turns, "tools_called") == [.strings([]), .strings(["search"]), .strings([])])
        guard case .strings(let flags)? = v.turns[0]["flags"], case .strings(let next)? = v.turns[1]["flags"] else {
            Issue.record("no flags column")
            return
        }
        #expect(flags.last == "inference:unfinished")
        #expect(!next.contains("inference:unfinished"))
        // The query counts three turns and the one tool call.
        #expect(v.column(v.queries, "num_turns") == [.int(3)])
        #expect(v.column(v.queries, "tool_call_count") == [.int(1)])
        #expect(v.column(v.queries, "inference_latency_s") == [.double(2.0)])
        // The model view counts calls that returned, with their own tokens.
        #expect(v.column(v.models, "model") == [.string("beta"), .string("gamma")])
        #expect(v.column(v.models, "input_tokens") == [.int(200), .int(300)])
        #expect(v.column(v.tools, "calls") == [.int(1)])
        #expect(v.diagnostics == [
            "run r1, query q1, record 1: inference never ended (no latency, runs to the query's end)",
        ])
        #expect(v.structure.spans[v.structure.queries[0].turns[0].inference].state == .unfinished)
    }

    @Test func theRetryCaseIsTheSameStreamedAndWhole() {
        let run = Self.retryRun()
        let stream = DefaultRunStream(runID: run.runID)
        for event in run.events { stream.survey(event) }
        stream.beginAttribution()
        for event in run.events { stream.attribute(event) }
        let streamed = stream.finish()
        let whole = AnalyzedRun(events: run, metricSet: DefaultMetricSet())
        #expect(streamed.result == whole.result)
        #expect(TurnView.rows([streamed], prices: .default) == TurnView.rows([whole], prices: .default))
    }

    @Test func endsWithoutStartsAreCallsInNoTurn() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.add(10, .inferenceEnd(InferenceEnd(spanID: "ghost", model: "m", promptTokens: 5, completionTokens: 1)))
        log.add(20, .toolEnd(ToolEnd(spanID: "tghost", tool: "search", ok: false)))
        log.inference(30, 40, span: "c1", model: "m", prompt: 1, completion: 1)
        log.queryEnd(50, "q1")
        let v = Views(log.run)
        #expect(v.turns.count == 1)
        #expect(v.column(v.turns, "input_tokens") == [.int(1)])
        #expect(v.column(v.models, "calls") == [.int(2)])
        #expect(v.column(v.models, "input_tokens") == [.int(6)])
        #expect(v.column(v.tools, "calls") == [.int(1)])
        #expect(v.column(v.tools, "errors") == [.int(1)])
        #expect(v.column(v.tools, "latency_p50_s") == [.null])
        #expect(v.diagnostics == [
            "run r1, query q1, record 1: inference end without a start (no latency, in no turn)",
            "run r1, query q1, record 2: tool end without a start (tool \"search\", no latency, in no turn)",
        ])
    }

    @Test func concurrentInferencesPairBySpanID() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.add(10, .inferenceStart(InferenceStart(spanID: "a", model: "ma")))
        log.add(20, .inferenceStart(InferenceStart(spanID: "b", model: "mb")))
        // a ends after b: pairing by id, not by recency.
        log.add(30, .inferenceEnd(InferenceEnd(spanID: "b", promptTokens: 2, completionTokens: 2)))
        log.add(90, .inferenceEnd(InferenceEnd(spanID: "a", promptTokens: 1, completionTokens: 1)))
        log.queryEnd(100, "q1")
        let v = Views(log.run)
        // Turns are in start order: a, then b.
        #expect(v.column(v.turns, "model") == [.string("ma"), .string("mb")])
        #expect(v.column(v.turns, "input_tokens") == [.int(1), .int(2)])
        #expect(v.column(v.turns, "inference_latency_s") == [.double(0.08), .double(0.01)])
        #expect(v.column(v.models, "input_tokens") == [.int(1), .int(2)])
    }

    @Test func toolNamesThatDifferBetweenStartAndEndPairBySpanID() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.inference(10, 20, span: "c1", model: "m")
        log.add(30, .toolStart(ToolStart(spanID: "t1", tool: "web.search", parentSpanID: "c1")))
        log.add(80, .toolEnd(ToolEnd(spanID: "t1", tool: "search", ok: true)))
        log.queryEnd(100, "q1")
        let v = Views(log.run)
        // One call, named as it was asked for, in the turn and the tool view alike.
        #expect(v.column(v.turns, "tools_called") == [.strings(["web.search"])])
        #expect(v.column(v.tools, "tool") == [.string("web.search")])
        #expect(v.column(v.tools, "latency_p50_s") == [.double(0.05)])
        #expect(v.diagnostics.isEmpty)
    }

    @Test func aCallNamedOnlyAtItsEndKeepsTheDefaultSetsVersion1Name() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.inference(10, 20, span: "c1", model: "m")
        log.add(30, .toolStart(ToolStart(spanID: "t1", parentSpanID: "c1")))
        log.add(50, .toolEnd(ToolEnd(spanID: "t1", tool: "bash", ok: true)))
        log.queryEnd(100, "q1")
        let v = Views(log.run)
        // The set's own turn columns name the call by its start, as version 1 did.
        #expect(v.column(v.turns, "tools_called") == [.strings(["unknown"])])
        // The views name it by its start, else its end.
        #expect(v.column(v.tools, "tool") == [.string("bash")])
    }

    @Test func duplicateSpanIDsAreReportedAndTheLatestIsClosed() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.add(10, .inferenceStart(InferenceStart(spanID: "c", model: "first")))
        log.add(20, .inferenceStart(InferenceStart(spanID: "c", model: "second")))
        log.add(30, .inferenceEnd(InferenceEnd(spanID: "c", promptTokens: 7, completionTokens: 7)))
        log.queryEnd(40, "q1")
        let v = Views(log.run)
        #expect(v.column(v.turns, "model") == [.string("first"), .string("second")])
        #expect(v.column(v.turns, "input_tokens") == [.null, .int(7)])
        #expect(v.diagnostics == [
            "run r1, query q1, record 1: inference never ended (no latency, runs to the query's end)",
            "run r1, query q1, record 2: inference start reuses the open span id \"c\" (ends close the latest)",
        ])
    }

    @Test func missingSpanIDsPairByRecencyAndToolName() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.add(10, .inferenceStart(InferenceStart(model: "m")))
        log.add(20, .inferenceEnd(InferenceEnd(promptTokens: 3, completionTokens: 4)))
        log.add(30, .toolStart(ToolStart(tool: "a")))
        log.add(40, .toolStart(ToolStart(tool: "b")))
        // Without ids, the end closes the latest open call of its own name.
        log.add(50, .toolEnd(ToolEnd(tool: "a", ok: true)))
        log.add(70, .toolEnd(ToolEnd(tool: "b", ok: true)))
        log.queryEnd(100, "q1")
        let v = Views(log.run)
        #expect(v.column(v.turns, "input_tokens") == [.int(3)])
        #expect(v.column(v.turns, "tools_called") == [.strings(["a", "b"])])
        #expect(v.column(v.tools, "latency_p50_s") == [.double(0.02), .double(0.03)])
        #expect(v.column(v.models, "calls") == [.int(1)])
    }

    @Test func viewsAgreeWithEachOther() {
        // Σ turn tokens = query tokens, tool view calls = tool spans, model
        // view tokens = Σ inferences, over a few shapes of run.
        for run in [Self.retryRun(), Self.busyRun()] {
            let v = Views(run)
            let turnTokens = v.turns.compactMap { $0["input_tokens"]?.intValue }.reduce(0, +)
            let modelTokens = v.models.compactMap { $0["input_tokens"]?.intValue }.reduce(0, +)
            let endedTokens = v.structure.spans.filter { $0.kind == .inference && $0.start != nil }
                .compactMap(\.promptTokens).reduce(0, +)
            #expect(turnTokens == endedTokens)
            #expect(modelTokens == v.structure.spans.compactMap(\.promptTokens).reduce(0, +))
            let toolCalls = v.tools.compactMap { $0["calls"]?.intValue }.reduce(0, +)
            #expect(Int(toolCalls) == v.structure.spans.filter { $0.kind == .tool }.count)
            let turnsPerQuery = v.queries.compactMap { $0["num_turns"]?.intValue }.reduce(0, +)
            #expect(Int(turnsPerQuery) == v.turns.count)
        }
    }

    static func busyRun() -> RunEvents {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.queryStart(5, "q2")
        log.add(10, .inferenceStart(InferenceStart(spanID: "a1", queryID: "q1", model: "m1")))
        log.add(11, .inferenceStart(InferenceStart(spanID: "b1", queryID: "q2", model: "m2")))
        log.add(20, .inferenceEnd(InferenceEnd(spanID: "b1", queryID: "q2", promptTokens: 10, completionTokens: 1)))
        log.add(21, .toolStart(ToolStart(spanID: "bt", queryID: "q2", tool: "x", parentSpanID: "b1")))
        log.add(25, .inferenceEnd(InferenceEnd(spanID: "a1", queryID: "q1", promptTokens: 20, completionTokens: 2)))
        log.add(30, .toolEnd(ToolEnd(spanID: "bt", queryID: "q2", tool: "x", ok: true)))
        log.add(40, .inferenceStart(InferenceStart(spanID: "a2", queryID: "q1", model: "m1")))
        log.queryEnd(50, "q2")
        log.queryEnd(60, "q1")
        return log.run
    }
}
