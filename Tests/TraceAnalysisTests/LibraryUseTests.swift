import Foundation
import Testing
import TraceLog
import TraceAnalysis

/// A Swift program gets what `trace-analyze LOG --by VIEW` prints in a few
/// lines, with no command-line layer.
@Suite struct LibraryUseTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/format-v2")

    @Test(arguments: ["default", "ipw"], [AnalysisView.turn, .query, .run])
    func aFewLinesGiveTheCommandsOutput(name: String, view: AnalysisView) throws {
        let set = try #require(MetricSets.named(name))
        let logs = LogAnalysis.analyze([Self.fixtures.appendingPathComponent("demo-run.zst").path], with: set)
        let report = AnalysisReport(metricSet: set, view: view, format: .csv)
        let expected = try String(
            contentsOf: Self.fixtures.appendingPathComponent("expected/demo-run.\(name).\(view).csv"), encoding: .utf8)
        #expect(report.render(logs).output == expected)
        // The typed rows are there too, one per line of the CSV.
        let (rows, notes) = report.rows(logs)
        #expect(rows.count == expected.split(separator: "\n").count - 1)
        #expect(notes.diagnostics.isEmpty)
    }

    @Test(arguments: ["default", "ipw"], ["turn", "query", "run", "tool", "model", "label:agent_id"])
    func aSetMakesOnlyTheRowsAViewReads(name: String, viewText: String) throws {
        let set = try #require(MetricSets.named(name))
        let view = try #require(AnalysisView(viewText))
        let path = Self.fixtures.appendingPathComponent("demo-run.zst").path
        let full = LogAnalysis.analyze([path], with: set)
        let limited = LogAnalysis.analyze([path], with: set.making(view.rowsRead))
        // The same output for every format, whichever rows were left out.
        for format in [OutputFormat.table, .csv, .json] {
            let report = AnalysisReport(metricSet: set, view: view, format: format)
            #expect(report.render(analyzed: limited.runs, spanEnergy: limited.spanEnergy).output
                == report.render(analyzed: full.runs, spanEnergy: full.spanEnergy).output)
        }
        let made = try #require(limited.runs.first?.result)
        let all = try #require(full.runs.first?.result)
        #expect(made.queries == all.queries && made.runs == all.runs && made.diagnostics == all.diagnostics)
        #expect(!all.turns.isEmpty)
        // The default set leaves out the turn rows nobody reads; ipw makes all.
        if name == "default" && !view.rowsRead.contains(.turns) {
            #expect(made.turns.isEmpty && made.turnInferences.isEmpty)
        } else {
            #expect(made.turns == all.turns && made.turnInferences == all.turnInferences)
        }
    }

    @Test func capabilitiesComeThroughTheProtocol() {
        let sets = MetricSets.all
        #expect(sets.map(\.viewConvention) == [.augmented, .asDefined])
        var log = ViewsEventBuilder()
        log.queryStart(0, "q1")
        log.sample(0, gpuJ: 0)
        log.inference(10, 20, span: "c1", model: "m")
        log.sample(30, gpuJ: 3)
        log.queryEnd(30, "q1")
        let reference = SpanReference(kind: .inference, runID: "r1", queryID: "q1", spanID: "c1", startSequence: 2, endSequence: 3)
        #expect(sets[0].spanEnergy(log.run).gpuJoules(reference) == 1.0)
        #expect(sets[1].spanEnergy(log.run).gpuJoules(reference) == nil)
    }
}
