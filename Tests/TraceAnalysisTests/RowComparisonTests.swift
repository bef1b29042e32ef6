import Testing
import TraceAnalysis

@Suite struct RowComparisonTests {
    func row(_ q: String, _ energy: AnalysisValue, _ tokens: AnalysisValue, extra: Bool = false) -> AnalysisRow {
        var columns: [(name: String, value: AnalysisValue)] = [("query_id", .string(q)), ("energy", energy), ("tokens", tokens)]
        if extra { columns.append(("flags", .strings(["x"]))) }
        return AnalysisRow(columns)
    }

    @Test func differingValuesUnmatchedRowsAndOneSidedColumns() {
        let a = [row("q1", .double(100), .int(10)), row("q2", .double(50), .int(5)), row("q3", .null, .int(1))]
        let b = [row("q2", .double(50), .int(5), extra: true), row("q1", .double(125), .int(12), extra: true),
                 row("q4", .double(1), .int(1), extra: true)]
        let c = RowComparison(a: a, b: b, keys: ["query_id"])
        #expect(c.onlyInA == [])
        #expect(c.onlyInB == ["flags"])
        #expect(c.unchangedRows == 1)
        let text = c.rows.map { row in row.columns.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
        #expect(c.rows.count == 4)
        #expect(c.rows[0]["column"] == .string("energy"))
        #expect(c.rows[0]["delta"] == .double(25))
        #expect(c.rows[0]["relative_change"] == .double(0.25))
        #expect(c.rows[1]["column"] == .string("tokens"))
        #expect(c.rows[1]["delta"] == .int(2))
        #expect(c.rows[2]["query_id"] == .string("q3"), "\(text)")
        #expect(c.rows[2]["value_a"] == .string("present"))
        #expect(c.rows[2]["value_b"] == .string("absent"))
        #expect(c.rows[3]["query_id"] == .string("q4"))
        #expect(c.rows[3]["value_b"] == .string("present"))
    }

    @Test func identicalSetsGiveNoRowsAndNullDeltasForNulls() {
        let a = [row("q1", .double(.pi), .null)]
        #expect(RowComparison(a: a, b: a, keys: ["query_id"]).rows.isEmpty)
        let b = [row("q1", .null, .int(3))]
        let c = RowComparison(a: a, b: b, keys: ["query_id"])
        #expect(c.rows.count == 2)
        #expect(c.rows.allSatisfy { $0["delta"] == .null && $0["relative_change"] == .null })
        #expect(MetricSetIdentity.comparison(MetricSetIdentity(name: "ipw", version: "2"),
            MetricSetIdentity(name: "default", version: "1")).tag == "ipw@2 vs default@1")
    }
}
