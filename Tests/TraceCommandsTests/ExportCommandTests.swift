import Foundation
import Testing
import TraceAnalysis
import TraceLog

/// `perfetto`, `report` and `db` as users run them.
@Suite struct ExportCommandTests {
    let binary = traceAnalyzeBinary

    @Test func perfettoWritesATraceJSON() throws {
        let out = temporaryDirectory().appendingPathComponent("trace.json")
        let result = try runProcess(binary, ["perfetto", bundledLogs()[0].path, "-o", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("\r"), "no progress bar when piped")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        let events = try #require(object["traceEvents"] as? [[String: Any]])
        #expect(events.contains { $0["ph"] as? String == "X" } && events.contains { $0["ph"] as? String == "C" })
    }

    @Test func reportWritesOneHTMLFile() throws {
        let out = temporaryDirectory().appendingPathComponent("report.html")
        let result = try runProcess(binary, ["report", bundledLogs()[0].path, "-o", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("default@3") && !html.contains("<script"))
    }

    @Test func dbRowCountsEqualTheJSONViewsAndASecondLoadIsANoOp() throws {
        let log = bundledLogs()[0].path
        let db = temporaryDirectory().appendingPathComponent("runs.sqlite").path
        let first = try runProcess(binary, ["db", log, "-o", db, "--stats"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("rows/s, one transaction: tables "), "\(first.stderr)")
        let second = try runProcess(binary, ["db", log, "-o", db])
        #expect(second.status == 0)
        #expect(second.stderr.contains("nothing written"))
        let sqlite = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: sqlite.path) else { return }
        for (view, table) in [("turn", "turns"), ("query", "queries"), ("run", "runs")] {
            let json = try runProcess(binary, [log, "--by", view, "--format", "json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            let count = try runProcess(sqlite, [db, "SELECT count(*) FROM \(table) WHERE metric_set = 'default'"])
            #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(rows.count), "\(table)")
        }
        let ipw = try runProcess(binary, ["db", log, "-o", db, "--metrics", "ipw"])
        #expect(ipw.status == 0)
        let sets = try runProcess(sqlite, [db, "SELECT group_concat(metric_set) FROM (SELECT DISTINCT metric_set FROM turns ORDER BY 1)"])
        #expect(sets.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "default,ipw")
    }

    @Test func anUnknownMetricSetIsRefused() throws {
        let result = try runProcess(binary, ["db", bundledLogs()[0].path, "-o", "/dev/null", "--metrics", "nope"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Unknown metric set"))
    }
}

/// Timestamps at the ends of the 64-bit range, valid in a log, crash no view
/// and no export.
@Suite struct ExtremeTimestampTests {
    @Test func extremeTimestampsCrashNothing() throws {
        let lines = """
            {"type":"run_start","t":1000.0,"run_id":"x"}
            {"type":"query_start","t":1000.0,"query_id":"q1"}
            {"type":"sample","t":1002.0,"source":"gpu0","gpu_energy_j":10.0}
            {"type":"sample","t":1001.0,"source":"gpu0","gpu_energy_j":5.0}
            {"type":"tool_start","t_ns":-9223372036854775808,"query_id":"q1","tool":"x","span_id":"t"}
            {"type":"tool_end","t_ns":1700000000000000000,"query_id":"q1","tool":"x","span_id":"t"}
            {"type":"mark","t_ns":-8000000000000000000,"name":"m"}
            {"type":"query_end","t":1003.0,"query_id":"q1"}

            """
        let dir = temporaryDirectory()
        let input = dir.appendingPathComponent("extreme.jsonl")
        try Data(lines.utf8).write(to: input)
        let log = dir.appendingPathComponent("extreme.zst").path
        #expect(try runProcess(traceAnalyzeBinary, ["import", input.path, "-o", log]).status == 0)
        var runs: [[String]] = []
        for set in ["default", "ipw"] {
            for view in ["turn", "query", "run", "tool", "model"] { runs.append([log, "--by", view, "--metrics", set]) }
        }
        runs.append(["perfetto", log, "-o", dir.appendingPathComponent("t.json").path])
        runs.append(["report", log, "-o", dir.appendingPathComponent("r.html").path])
        runs.append(["export", log, "--out", dir.appendingPathComponent("out").path])
        for arguments in runs {
            let result = try runProcess(traceAnalyzeBinary, arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            if arguments.count == 5 {
                #expect(result.stderr.contains("146 years"), "\(arguments) names what it left out")
            }
        }
    }
}

/// The retry case at the level of the exports: `export` writes each turn
/// with its own inference (a timed-out call keeps its row), and its model
/// and tool files count what the views count.
@Suite struct RetryExportTests {
    @Test func exportsKeepEachTurnWithItsOwnInference() throws {
        let lines = """
            {"type":"run_start","t":1000.0,"run_id":"retry"}
            {"type":"query_start","t":1000.0,"query_id":"q1"}
            {"type":"inference_start","t":1000.1,"span_id":"c1","query_id":"q1","model":"alpha"}
            {"type":"inference_start","t":1002.0,"span_id":"c2","query_id":"q1","model":"beta"}
            {"type":"inference_end","t":1003.0,"span_id":"c2","query_id":"q1","prompt_tokens":200,"completion_tokens":20}
            {"type":"tool_start","t":1003.1,"span_id":"t1","query_id":"q1","tool":"search","parent_span_id":"c2"}
            {"type":"tool_end","t":1003.5,"span_id":"t1","query_id":"q1","tool":"search","ok":true}
            {"type":"inference_start","t":1004.0,"span_id":"c3","query_id":"q1","model":"gamma"}
            {"type":"inference_end","t":1005.0,"span_id":"c3","query_id":"q1","prompt_tokens":300,"completion_tokens":30}
            {"type":"query_end","t":1006.0,"query_id":"q1","status":"completed"}

            """
        let dir = temporaryDirectory()
        let input = dir.appendingPathComponent("retry.jsonl")
        try Data(lines.utf8).write(to: input)
        let log = dir.appendingPathComponent("retry.zst").path
        #expect(try runProcess(traceAnalyzeBinary, ["import", input.path, "-o", log]).status == 0)
        let out = dir.appendingPathComponent("out")
        let result = try runProcess(traceAnalyzeBinary, ["export", log, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        func table(_ name: String) throws -> [[String: String]] {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            var lines = text.split(separator: "\n").map { line in
                // No field of these rows holds a quoted comma but the lists.
                var fields: [String] = [], field = "", quoted = false
                for c in line {
                    if c == "\"" { quoted.toggle() } else if c == "," && !quoted { fields.append(field); field = "" } else { field.append(c) }
                }
                fields.append(field)
                return fields
            }
            let header = lines.removeFirst()
            return lines.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        }
        let turns = try table("turns.csv")
        #expect(turns.map { $0["model"] } == ["alpha", "beta", "gamma"])
        #expect(turns.map { $0["input_tokens"] } == ["", "200", "300"])
        #expect(turns.map { $0["output_tokens"] } == ["", "20", "30"])
        #expect(turns.map { $0["inference_latency_s"] } == ["", "1.0", "1.0"])
        #expect(turns.map { $0["tools_called"] } == ["[]", "[search]", "[]"])
        #expect(turns[0]["flags"]?.contains("inference:unfinished") == true)
        #expect(turns[1]["flags"]?.contains("inference:unfinished") == false)
        let models = try table("models.csv")
        #expect(models.map { $0["model"] } == ["beta", "gamma"])
        #expect(models.map { $0["input_tokens"] } == ["200", "300"])
        let tools = try table("tools.csv")
        #expect(tools.map { $0["calls"] } == ["1"])
    }
}

/// A log given as a pipe (`/dev/stdin`) is read once, whole: the commands
/// that stream their logs twice print what they print for the file.
@Suite struct PipedLogTests {
    @Test func aPipedLogGivesTheFilesOutput() throws {
        let log = bundledLogs()[0]
        let bytes = try Data(contentsOf: log)
        for arguments in [["--by", "query", "--format", "csv"], ["--by", "turn", "--metrics", "ipw", "--format", "csv"]] {
            let file = try runProcess(traceAnalyzeBinary, [log.path] + arguments)
            let piped = try runProcess(traceAnalyzeBinary, ["/dev/stdin"] + arguments, stdin: bytes)
            #expect(piped.status == 0 && file.status == 0, "\(piped.stderr)")
            #expect(piped.stdout == file.stdout, "\(arguments)")
        }
        let dir = temporaryDirectory()
        for command in ["report", "perfetto"] {
            let fromFile = dir.appendingPathComponent("\(command)-file").path
            let fromPipe = dir.appendingPathComponent("\(command)-pipe").path
            #expect(try runProcess(traceAnalyzeBinary, [command, log.path, "-o", fromFile]).status == 0)
            #expect(try runProcess(traceAnalyzeBinary, [command, "/dev/stdin", "-o", fromPipe], stdin: bytes).status == 0)
            // The report names its inputs; the rest is the same.
            let a = try String(contentsOfFile: fromFile, encoding: .utf8).replacingOccurrences(of: log.lastPathComponent, with: "LOG")
            let b = try String(contentsOfFile: fromPipe, encoding: .utf8).replacingOccurrences(of: "stdin", with: "LOG")
            #expect(a == b, "\(command)")
        }
    }
}
