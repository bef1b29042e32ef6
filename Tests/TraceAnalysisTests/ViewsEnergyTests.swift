import Testing
import TraceLog
@testable import TraceAnalysis

@Suite struct ViewsEnergyTests {
    @Test func spanEnergyIsPluggedIntoToolAndModelViews() throws {
        var first = ViewsEventBuilder()
        first.queryStart(0, "q1")
        first.inference(10, 20, span: "c1", model: "gpt-4o", prompt: 1, completion: 1)
        first.tool(30, 40, span: "t1", "search")
        first.inference(50, 60, span: "c2", model: "gpt-4o", prompt: 1, completion: 1)
        first.queryEnd(70, "q1")
        var second = ViewsEventBuilder()
        second.runID = "r2"
        second.queryStart(0, "q1")
        second.tool(30, 40, span: "t1", "search")
        second.queryEnd(70, "q1")
        // Energy by (run, span id), as an energy engine would give it.
        let joules: [String: Double] = ["r1/c1": 1.5, "r1/c2": 2.25, "r1/t1": 0.5, "r2/t1": 0.25]
        let energy = SpanEnergy { span in span.spanID.flatMap { joules["\(span.runID)/\($0)"] } }
        let tools = ToolView.rows([first.run, second.run], energy: energy).rows
        #expect(tools.map { $0.value("run_id") } == [.string("r1"), .string("r2")])
        #expect(tools.map { $0.value("calls") } == [.int(1), .int(1)])
        #expect(tools.map { $0.value("gpu_energy_joules") } == [.double(0.5), .double(0.25)])
        let pooled = ToolView.rows([first.run, second.run], energy: energy, poolRuns: true).rows
        #expect(pooled.map { $0.value("run_id") } == [.string("*")])
        #expect(pooled.map { $0.value("calls") } == [.int(2)])
        #expect(pooled.map { $0.value("gpu_energy_joules") } == [.double(0.75)])
        let models = ModelView.rows([first.run, second.run], prices: .default, energy: energy, poolRuns: true).rows
        #expect(models.map { $0.value("gpu_energy_joules") } == [.double(3.75)])
        // One unknown span: the total is the known part, the unknown counted.
        let partial = SpanEnergy { span in span.runID == "r1" ? 1 : nil }
        let partialRow = ToolView.rows([first.run, second.run], energy: partial, poolRuns: true).rows[0]
        #expect(partialRow.value("gpu_energy_joules") == .double(1))
        #expect(partialRow.value("calls_without_energy") == .int(1))
        // None known: null, never 0.
        let none = ToolView.rows([second.run], energy: partial).rows[0]
        #expect(none.value("gpu_energy_joules") == .null)
        #expect(none.value("calls_without_energy") == .int(1))
        // The references name the records.
        let spans = RunSpans(first.run)
        #expect(spans.inferences[1].reference == SpanReference(
            kind: .inference, runID: "r1", queryID: "q1", spanID: "c2", startSequence: 5, endSequence: 6))
        #expect(spans.inferences.map(\.turnIndex) == [0, 1])
    }

    @Test func viewsAreDeterministic() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        for (index, name) in ["zeta", "alpha", "mu", "beta", "alpha"].enumerated() {
            log.tool(Int64(index * 10), Int64(index * 10 + 5), span: "t\(index)", name)
            log.inference(Int64(index * 10 + 6), Int64(index * 10 + 9), span: "c\(index)", model: "model-\(name)")
        }
        log.queryEnd(100, "q1")
        let tools = ToolView.rows([log.run]).rows
        #expect(tools.map { $0.value("tool") } == ["alpha", "beta", "mu", "zeta"].map(AnalysisValue.string))
        let models = ModelView.rows([log.run], prices: .default)
        #expect(models.unpricedModels == ["model-alpha", "model-beta", "model-mu", "model-zeta"])
        for _ in 0..<5 {
            #expect(ToolView.rows([log.run]).rows == tools)
            #expect(ModelView.rows([log.run], prices: .default) == models)
        }
    }
}
