import Testing
import TraceLog
@testable import TraceAnalysis

@Suite struct ViewsLabelTests {
    /// One query with a single inference spanning `[start + 100, end - 100]`
    /// ms, GPU counter samples at its start and end (so `ipw` spreads the
    /// query energy over its one turn), and an outcome.
    static func query(
        _ log: inout ViewsEventBuilder, _ id: String, at start: Int64, ms: Int64, joules: Double, counter: inout Double,
        label: String?, resolved: Bool? = nil, score: Double? = nil, cost: Double
    ) {
        log.queryStart(start, id, labels: label.map { [Label("data_id", $0), Label("agent_id", "a")] } ?? [])
        log.sample(start, gpuJ: counter)
        log.inference(start + 100, start + ms - 100, span: "c-\(id)", model: "m", prompt: 100, completion: 10, cost: cost)
        counter += joules
        log.sample(start + ms, gpuJ: counter)
        log.queryEnd(start + ms, id, resolved: resolved, score: score)
    }

    static var runs: [AnalyzedRun] {
        var counter = 0.0
        var first = ViewsEventBuilder()
        query(&first, "q1", at: 0, ms: 1000, joules: 100, counter: &counter, label: "d1", resolved: true, cost: 0.25)
        query(&first, "q2", at: 2000, ms: 500, joules: 50, counter: &counter, label: "d2", score: 0.5, cost: 0.5)
        var second = ViewsEventBuilder()
        second.runID = "r2"
        counter = 0
        query(&second, "q1", at: 0, ms: 2000, joules: 300, counter: &counter, label: "d1", resolved: false, cost: 0.125)
        query(&second, "q3", at: 3000, ms: 1000, joules: 10, counter: &counter, label: nil, cost: 1)
        return [first.analyzed, second.analyzed]
    }

    @Test func groupsQueryTotalsByLabelRunByRun() throws {
        let result = LabelView.rows(Self.runs, key: "data_id", prices: .default)
        #expect(result.rows.map { $0.value("run_id") } == [.string("r1"), .string("r1"), .string("r2"), .string("r2")])
        #expect(result.rows.map { $0.value("data_id") } == [.string("d1"), .string("d2"), .string("d1"), .null])
        #expect(Array(result.rows[0].names.prefix(4)) == ["run_id", "data_id", "queries", "n_scored"])
        #expect(result.rows[0].value("total_gpu_energy_joules") == .double(100))
        #expect(result.rows[2].value("total_gpu_energy_joules") == .double(300))
        #expect(result.rows[2].value("accuracy") == .double(0))
        #expect(result.warnings.isEmpty)
    }

    @Test func groupsQueryTotalsByLabelAcrossRunsWhenPooled() throws {
        let result = LabelView.rows(Self.runs, key: "data_id", prices: .default, poolRuns: true)
        #expect(result.rows.map { $0.value("data_id") } == [.string("d1"), .string("d2"), .null])
        #expect(result.rows.allSatisfy { $0.value("run_id") == .string("*") })
        let d1 = result.rows[0]
        #expect(Array(d1.names.prefix(3)) == ["run_id", "data_id", "queries"])
        #expect(d1.value("queries") == .int(2))
        #expect(d1.value("total_input_tokens") == .int(200))
        #expect(d1.value("total_output_tokens") == .int(20))
        #expect(d1.value("total_gpu_energy_joules") == .double(400))
        #expect(d1.value("total_cost_usd") == .double(0.375))
        #expect(d1.value("total_wall_clock_s") == .double(3))
        #expect(d1.value("energy_per_output_token_joules") == .double(20))
        #expect(result.rows[2].value("queries") == .int(1))
        #expect(result.rows[2].value("total_cost_usd") == .double(1))
        // The label need not be data_id: any query label groups.
        let byAgent = LabelView.rows(Self.runs, key: "agent_id", prices: .default, poolRuns: true)
        #expect(byAgent.rows.map { $0.value("agent_id") } == [.string("a"), .null])
        #expect(byAgent.rows.map { $0.value("queries") } == [.int(3), .int(1)])
    }

    @Test func intelligencePerJouleOnQueriesWithOutcomes() {
        let rows = LabelView.rows(Self.runs, key: "data_id", prices: .default, poolRuns: true).rows
        // d1: outcomes 1 and 0 → accuracy 0.5; energies 100 J and 300 J → mean 200 J;
        // powers 100 J / 1 s and 300 J / 2 s → mean 125 W.
        #expect(rows[0].value("accuracy") == .double(0.5))
        #expect(rows[0].value("accuracy_per_joule") == .double(0.0025))
        #expect(rows[0].value("accuracy_per_watt") == .double(0.004))
        // d2: score 0.5; 50 J over 0.5 s → 100 W.
        #expect(rows[1].value("accuracy") == .double(0.5))
        #expect(rows[1].value("accuracy_per_joule") == .double(0.01))
        #expect(rows[1].value("accuracy_per_watt") == .double(0.005))
        // No outcome: no accuracy.
        #expect(rows[2].value("accuracy") == .null)
        #expect(rows[2].value("accuracy_per_joule") == .null)
        #expect(rows[2].value("accuracy_per_watt") == .null)
    }

    /// A failed query without an outcome: left out (and `n_scored` says
    /// so) by default, scored 0 when asked.
    @Test func failedQueriesAreCountedAndCanScoreZero() {
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1", labels: [Label("data_id", "d")])
        log.queryEnd(10, "q1", resolved: true)
        log.queryStart(20, "q2", labels: [Label("data_id", "d")])
        log.queryEnd(30, "q2", status: "failed", error: "agent raised")
        let excluded = LabelView.rows([log.analyzed], key: "data_id", prices: .default).rows[0]
        #expect(excluded.value("queries") == .int(2))
        #expect(excluded.value("n_scored") == .int(1))
        #expect(excluded.value("accuracy") == .double(1))
        let zero = LabelView.rows([log.analyzed], key: "data_id", prices: .default, failedQueries: .zero).rows[0]
        #expect(zero.value("n_scored") == .int(2))
        #expect(zero.value("accuracy") == .double(0.5))
    }

    @Test func aKeyNoQueryHasIsWarnedWithTheKeysThatExist() {
        let result = LabelView.rows(Self.runs, key: "dataset", prices: .default)
        #expect(result.warnings == ["no query or run has the label \"dataset\"; labels present: agent_id, data_id"])
        #expect(LabelView.rows(Self.runs, key: "data_id", prices: .default).warnings.isEmpty)
    }

    @Test func runLabelsGroupWhenQueriesLackTheKey() {
        var log = ViewsEventBuilder()
        log.runStart([Label("scenario", "s1")])
        log.queryStart(10, "q1")
        log.queryEnd(20, "q1")
        log.queryStart(30, "q2", labels: [Label("scenario", "s2")])
        log.queryEnd(40, "q2")
        let rows = LabelView.rows([log.analyzed], key: "scenario", prices: .default).rows
        #expect(rows.map { $0.value("scenario") } == [.string("s1"), .string("s2")])
    }

    @Test func viewKindsParse() {
        #expect(ViewKind("tool") == .tool)
        #expect(ViewKind("model") == .model)
        #expect(ViewKind("turn") == .turn)
        #expect(ViewKind("query") == .query)
        #expect(ViewKind("label:data_id") == .label("data_id"))
        #expect(ViewKind("label:a:b") == .label("a:b"))
        #expect(ViewKind("label:") == nil)
        #expect(ViewKind("tools") == nil)
        #expect(ViewKind.label("combo_id").description == "label:combo_id")
    }
}
