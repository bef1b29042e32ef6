import Foundation
import Testing
import TraceAnalysis
import TraceLog
@testable import TraceExport

/// The SQLite store: schema, row counts, idempotent loads, several metric sets.
@Suite struct DatabaseTests {
    /// The views as the CLI computes them (without span energy).
    static func views(_ runs: [RunEvents], _ set: any MetricSet) -> DatabaseContent.Views {
        var views = DatabaseContent.Views(runs: [], queries: [], turns: [], tools: [], models: [])
        for run in runs {
            let result = set.analyze(run)
            let runID = AnalysisValue.string(run.runID)
            views.runs += result.runs
            views.queries += result.queries.map { AnalysisRow([("run_id", runID)] + $0.columns) }
            views.turns += result.turns.map { AnalysisRow([("run_id", runID)] + $0.columns) }
        }
        views.tools = ToolView.rows(runs).rows
        views.models = ModelView.rows(runs, prices: .default).rows
        return views
    }

    static func content(_ runs: [RunEvents], _ set: String, logHash: String) -> DatabaseContent {
        let metricSet = MetricSets.named(set)!
        return DatabaseContent.make(
            runs, views: views(runs, metricSet), metricSet: metricSet.identity,
            priceTableHash: PriceTable.default.identity.sha256, logHash: logHash)
    }

    func load(_ path: String, _ set: String) throws -> DatabaseWriter.Outcome {
        let hash = LogContentHash.hex(ofFiles: [demoLogPath])
        return try DatabaseWriter(connection: SQLiteConnection(path: path)).write(Self.content(demoRuns, set, logHash: hash))
    }

    func count(_ db: SQLiteConnection, _ sql: String) throws -> Int {
        Int(try db.rows(sql).first?.first.flatMap { $0 } ?? "-1") ?? -1
    }

    @Test func rowCountsEqualTheViews() throws {
        let path = temporaryPath("runs.sqlite")
        let outcome = try load(path, "default")
        let result = MetricSets.named("default")!.analyze(RunEvents(runID: demoRuns[0].runID, events: demoRuns[0].events))
        let toolNames = ToolView.rows(demoRuns).rows.count
        #expect(outcome == .loaded(rows: [result.runs.count, result.queries.count, result.turns.count, toolNames, 2, 15]))
        let db = try SQLiteConnection(path: path)
        #expect(try count(db, "SELECT count(*) FROM runs") == result.runs.count)
        #expect(try count(db, "SELECT count(*) FROM queries") == result.queries.count)
        #expect(try count(db, "SELECT count(*) FROM turns") == result.turns.count)
        #expect(try count(db, "SELECT count(*) FROM tools") == toolNames)
        #expect(try count(db, "SELECT count(*) FROM models") == 2)
        #expect(try count(db, "SELECT count(*) FROM tool_calls") == 15)
        #expect(try count(db, "SELECT sum(calls) FROM tools") == 15)
        // Tools per turn agree with the turn rows' tools_called.
        let called = result.turns.reduce(0) { n, row in
            if case .strings(let list)? = row["tools_called"] { return n + list.count }
            return n
        }
        #expect(try count(db, "SELECT count(*) FROM tool_calls WHERE turn_index IS NOT NULL") == called)
        // Every row names what made it.
        for table in DatabaseSchema.tableNames {
            #expect(try count(db, "SELECT count(*) FROM \(table) WHERE metric_set != 'default' OR metric_set_version != '1' OR length(log_hash) != 64 OR price_table_hash != '\(PriceTable.default.identity.sha256)'") == 0)
        }
        // Values round-trip: the sum of query energy equals the attributed run energy.
        let sum = try db.rows("SELECT sum(total_gpu_energy_joules) - (SELECT gpu_attributed_joules FROM runs) FROM queries")
        #expect(abs(Double(sum[0][0]!)!) < 1e-6)
        let indexes = try db.rows("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").compactMap { $0[0] }
        #expect(indexes.contains("turns_key") && indexes.contains("queries_key") && indexes.contains("tools_key")
            && indexes.contains("tool_calls_key"))
    }

    @Test func loadingTwiceChangesNothingAndAnotherSetAddsRows() throws {
        let path = temporaryPath("runs.sqlite")
        _ = try load(path, "default")
        let db = try SQLiteConnection(path: path)
        let before = try DatabaseSchema.tableNames.map { try count(db, "SELECT count(*) FROM \($0)") }
        #expect(try load(path, "default") == .alreadyLoaded)
        let after = try DatabaseSchema.tableNames.map { try count(db, "SELECT count(*) FROM \($0)") }
        #expect(before == after)
        guard case .loaded = try load(path, "ipw") else {
            Issue.record("ipw rows not added")
            return
        }
        #expect(try count(db, "SELECT count(DISTINCT metric_set) FROM queries") == 2)
        #expect(try count(db, "SELECT count(*) FROM loads") == 2)
        // The two definitions side by side.
        let joined = try db.rows("""
            SELECT count(*) FROM queries d JOIN queries i USING (log_hash, run_id, query_id)
            WHERE d.metric_set = 'default' AND i.metric_set = 'ipw'
            """)
        #expect(joined[0][0] == "6")
    }

    @Test func contentHashIsSHA256() {
        #expect(LogContentHash.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(LogContentHash.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Data(repeating: 0x61, count: 1_000_000)
        #expect(LogContentHash.hex(long) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256Hasher.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func toolCallsComeFromTheEventsAndToolsAndModelsFromTheViews() throws {
        let run = overlappingRun()
        let content = Self.content([run], "default", logHash: "x")
        let calls = try #require(content.tables.first { $0.name == "tool_calls" })
        #expect(calls.rows.count == 3)
        let failed = try #require(calls.rows.first { $0[3] == .string("b") })
        #expect(failed[5] == .bool(false) && failed[6] == .string("boom") && failed[7] == .double(1.5))
        let tools = try #require(content.tables.first { $0.name == "tools" })
        #expect(tools.rows.count == ToolView.rows([run]).rows.count)
        #expect(tools.columns.prefix(6) == ["tool", "calls", "errors", "latency_p50_s", "latency_p95_s", "gpu_energy_joules"])
        let models = try #require(content.tables.first { $0.name == "models" })
        #expect(models.columns.first == "model")
        #expect(models.rows.count == 1)
    }
}
