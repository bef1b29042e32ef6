import Foundation
import Testing
import TraceAnalysis
import TraceLog
@testable import TraceExport

/// The SQLite store: schema, row counts, idempotent loads, several metric sets.
@Suite struct DatabaseTests {
    /// The views as the CLI computes them (without span energy).
    static func views(_ runs: [RunEvents], _ set: any MetricSet) -> DatabaseContent.Views {
        DatabaseContent.Views(runs.map { AnalyzedRun(events: $0, metricSet: set) }, spanEnergy: nil, metricSet: set, prices: .default)
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
            #expect(try count(db, "SELECT count(*) FROM \(table) WHERE metric_set != 'default' OR metric_set_version != '3' OR length(log_hash) != 64 OR price_table_hash != '\(PriceTable.default.identity.sha256)'") == 0)
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
        #expect(tools.columns.prefix(7)
            == ["run_id", "tool", "calls", "errors", "latency_p50_s", "latency_p95_s", "gpu_energy_joules"])
        let models = try #require(content.tables.first { $0.name == "models" })
        #expect(models.columns.prefix(2) == ["run_id", "model"])
        #expect(models.rows.count == 1)
    }

    /// A load of one hand-made `turns` table under log hash `hash`.
    static func turnsContent(_ rows: [[AnalysisValue]], columns: [String], hash: String) -> DatabaseContent {
        let tables = DatabaseSchema.tableNames.map { name in
            name == "turns"
                ? DatabaseTable(name: name, columns: columns, rows: rows)
                : DatabaseTable(name: name, columns: [], rows: [])
        }
        return DatabaseContent(
            logHash: hash, metricSet: MetricSets.named("default")!.identity, priceTableHash: nil, tables: tables,
            diagnostics: [])
    }

    @Test func valuesAreStoredAsTheirSQLiteValueWhateverTheBatchAndTheBuffer() throws {
        let decomposed = "e\u{301}"  // equal to "é" as a Swift string, other bytes
        let long = String(repeating: "x", count: 70_000)  // larger than the insert buffer
        var rows: [[AnalysisValue]] = []
        for i in 0..<37 {  // two full multi-row statements and five rows one by one
            rows.append([
                .string("run"), .string("q\(i % 5)"), .int(Int64(i)),
                .string(i == 3 ? decomposed : "é"),
                .string(i % 7 == 0 ? "quote \" back \\ line \n tab \t ctl \u{01} ünï" : (i == 11 ? long : "plain \(i)")),
                .strings(i % 4 == 0 ? [] : ["read_file", "say \"hi\"\n", i == 13 ? long : "python"]),
                .object([("read_file", .double(0.25 * Double(i))), ("nan", .double(.nan)), ("n", .int(-3)), ("b", .bool(i % 2 == 0)),
                         ("s", .string("a\\b")), ("l", .strings(["x"])), ("o", .object([]))]),
                .double(i == 5 ? .infinity : 1.5), .bool(i % 3 == 0), .null,
            ])
        }
        let columns = ["run_id", "query_id", "turn_index", "accent", "note", "tools_called", "tool_latencies_s", "w", "ok", "nothing"]
        let path = temporaryPath("values.sqlite")
        let outcome = try DatabaseWriter(connection: SQLiteConnection(path: path)).write(Self.turnsContent(rows, columns: columns, hash: "h"))
        #expect(outcome == .loaded(rows: [0, 0, 37, 0, 0, 0]))
        let db = try SQLiteConnection(path: path)
        let stored = try db.rows("SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")), hex(accent) FROM turns ORDER BY rowid")
        #expect(stored.count == rows.count)
        for (row, back) in zip(rows, stored) {
            for (value, text) in zip(row, back) {
                let expected: String? = switch SQLiteValue(value) {
                case .null: nil
                case .integer(let i): String(i)
                case .real(let d): String(try #require(db.rows("SELECT CAST(? AS TEXT)", [.real(d)]).first?.first ?? nil))
                case .text(let t): t
                }
                #expect(text == expected)
            }
        }
        // Bytes, not Unicode equivalence, decide what is stored.
        #expect(stored[3][10] == "65CC81" && stored[4][10] == "C3A9")
        #expect(try count(db, "SELECT count(*) FROM turns WHERE tool_latencies_s ->> '$.read_file' IS NOT NULL") == 37)
    }

    @Test func aFailedLoadLeavesTheDatabaseAsItWas() throws {
        let path = temporaryPath("failed.sqlite")
        _ = try load(path, "default")
        let db = try SQLiteConnection(path: path)
        let before = try DatabaseSchema.tableNames.map { try count(db, "SELECT count(*) FROM \($0)") }
        // run_id is NOT NULL: the 30th row fails after two statements went in.
        let rows: [[AnalysisValue]] = (0..<40).map { [$0 == 29 ? .null : .string("r"), .string("q"), .int(Int64($0))] }
        #expect(throws: SQLiteError.self) {
            try DatabaseWriter(connection: SQLiteConnection(path: path))
                .write(Self.turnsContent(rows, columns: ["run_id", "query_id", "turn_index"], hash: "other"))
        }
        #expect(try DatabaseSchema.tableNames.map { try count(db, "SELECT count(*) FROM \($0)") } == before)
        #expect(try count(db, "SELECT count(*) FROM loads") == 1)
    }

    @Test func theExampleQueriesOfTheDocsRunAndTheJoinsUseTheIndexes() throws {
        let path = temporaryPath("examples.sqlite")
        _ = try load(path, "default")
        _ = try load(path, "ipw")
        let db = try SQLiteConnection(path: path)
        let doc = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/SQL.md"), encoding: .utf8)
        let queries = doc.components(separatedBy: "```sql\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(queries.count >= 6)
        for query in queries { _ = try db.rows(query) }
        let plans = try queries.prefix(2).map { query in
            try db.rows("EXPLAIN QUERY PLAN " + query).compactMap { $0.last ?? nil }.joined(separator: "; ")
        }
        #expect(plans[0].contains("INDEX queries_key"), "\(plans[0])")
        #expect(plans[1].contains("INDEX tool_calls_key"), "\(plans[1])")
        let indexes = try db.rows("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").compactMap { $0[0] }
        #expect(indexes == ["loads_key", "models_key", "queries_key", "runs_key", "tool_calls_key", "tools_key", "turns_key"])
    }

    @Test func aNewFileIsWrittenWithoutSyncsAndAFileWithLoadsWithNormalSyncs() throws {
        let path = temporaryPath("sync.sqlite")
        let hash = LogContentHash.hex(ofFiles: [demoLogPath])
        let first = try SQLiteConnection(path: path)
        _ = try DatabaseWriter(connection: first).write(Self.content(demoRuns, "default", logHash: hash))
        #expect(try first.rows("PRAGMA synchronous").first?.first == "0")
        let second = try SQLiteConnection(path: path)
        _ = try DatabaseWriter(connection: second).write(Self.content(demoRuns, "ipw", logHash: hash))
        #expect(try second.rows("PRAGMA synchronous").first?.first == "1")
        #expect(try second.rows("PRAGMA journal_mode").first?.first == "wal")
    }
}
