import Foundation
import Testing
import TraceExport
import TraceLog
import TraceRecorder
import TraceAnalysis

/// What a benchmarker must be able to see at a glance, checked through the
/// built `trace-analyze` as users run it: runs told apart, group totals that
/// one unknown member does not blank, failures shown, unknown label keys
/// named.
@Suite struct TrustworthyOutputTests {
    /// A log imported from JSON Lines `lines` (through `trace-analyze import`).
    static func log(_ lines: [String], name: String = "run") throws -> String {
        let dir = temporaryDirectory()
        let events = dir.appendingPathComponent("\(name).jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: events)
        let path = dir.appendingPathComponent("\(name).zst").path
        let imported = try runProcess(traceAnalyzeBinary, ["import", events.path, "-o", path])
        #expect(imported.status == 0, "\(imported.stderr)")
        return path
    }

    /// One run `id` (labelled `trial`) of three queries q0…q2, each one
    /// inference and one tool call; q2 fails with an error, its inference
    /// raised (no usage) and its tool call failed.
    static func run(_ id: String, trial: String) -> [String] {
        let base = 1_800_000_000
        var lines = [#"{"type":"run_start","t":\#(base),"run_id":"\#(id)","labels":{"trial":"\#(trial)"}}"#]
        for q in 0..<3 {
            let t = base + 10 * (q + 1)
            let failed = q == 2
            lines.append(#"{"type":"query_start","t":\#(t),"query_id":"q\#(q)","labels":{"data_id":"d\#(q % 2)"}}"#)
            lines.append(#"{"type":"inference_start","t":\#(t + 1),"span_id":"c\#(q)","query_id":"q\#(q)","model":"gpt-4o"}"#)
            lines.append(failed
                ? #"{"type":"inference_end","t":\#(t + 2),"span_id":"c\#(q)","query_id":"q\#(q)","status":"error","error":"rate limited"}"#
                : #"{"type":"inference_end","t":\#(t + 2),"span_id":"c\#(q)","query_id":"q\#(q)","prompt_tokens":100,"completion_tokens":10,"cost_usd":0.5}"#)
            lines.append(#"{"type":"tool_start","t":\#(t + 3),"span_id":"t\#(q)","query_id":"q\#(q)","parent_span_id":"c\#(q)","tool":"search"}"#)
            lines.append(failed
                ? #"{"type":"tool_end","t":\#(t + 4),"span_id":"t\#(q)","query_id":"q\#(q)","tool":"search","ok":false,"error":"404"}"#
                : #"{"type":"tool_end","t":\#(t + 4),"span_id":"t\#(q)","query_id":"q\#(q)","tool":"search","ok":true}"#)
            lines.append(failed
                ? #"{"type":"query_end","t":\#(t + 5),"query_id":"q\#(q)","status":"failed","error":"agent raised: budget"}"#
                : #"{"type":"query_end","t":\#(t + 5),"query_id":"q\#(q)","status":"completed","resolved":\#(q == 0)}"#)
        }
        return lines
    }

    static func json(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try runProcess(traceAnalyzeBinary, arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    /// Item 1: every row of every view and export says which run it is of.
    @Test func everyRowNamesItsRun() throws {
        let a = try Self.log(Self.run("exp-a", trial: "1"), name: "a")
        let b = try Self.log(Self.run("exp-b", trial: "2"), name: "b")
        for view in ["turn", "query", "tool", "model", "label:data_id"] {
            let rows = try Self.json([a, b, "--by", view])
            let runs = rows.map { $0["run_id"] as? String }
            #expect(Set(runs) == ["exp-a", "exp-b"], "\(view)")
            #expect(runs == runs.sorted { ($0 ?? "") < ($1 ?? "") }, "\(view): rows in run order")
            #expect(rows.count == 2 * rows.filter { $0["run_id"] as? String == "exp-a" }.count, "\(view)")
        }
        // The query rows carry the run's labels in JSON and CSV.
        let queries = try Self.json([a, b, "--by", "query"])
        #expect(queries.map { $0["run.trial"] as? String } == ["1", "1", "1", "2", "2", "2"])
        let csv = try runProcess(traceAnalyzeBinary, [a, b, "--by", "query", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("run_id,run.trial,query_id,"))
        // Tables only when asked.
        let table = try runProcess(traceAnalyzeBinary, [a, b, "--by", "query"])
        #expect(!table.stdout.contains("run.trial"))
        let labelled = try runProcess(traceAnalyzeBinary, [a, b, "--by", "turn", "--with-run-labels"])
        #expect(labelled.stdout.contains("run.trial"))
        // Pooled groups are one row over both runs, run_id `*`.
        let pooled = try Self.json([a, b, "--by", "tool", "--pool-runs"])
        #expect(pooled.count == 1)
        #expect(pooled.first?["run_id"] as? String == "*")
        #expect(pooled.first?["calls"] as? Int == 6)
        // export's CSVs too.
        let out = temporaryDirectory().appendingPathComponent("summary")
        let export = try runProcess(traceAnalyzeBinary, ["export", a, b, "--out", out.path])
        #expect(export.status == 0, "\(export.stderr)")
        for file in ["turns.csv", "queries.csv", "tools.csv", "models.csv"] {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            #expect(text.hasPrefix("run_id,"), "\(file)")
            #expect(text.contains("\nexp-a,") && text.contains("\nexp-b,"), "\(file)")
        }
        let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains(#""totals":{"runs":2,"#))
    }

    /// Item 3: one call without usage no longer blanks the group.
    @Test func groupTotalsSumTheKnownValuesAndCountTheRest() throws {
        let a = try Self.log(Self.run("exp-a", trial: "1"))
        let model = try #require(try Self.json([a, "--by", "model"]).first)
        #expect(model["calls"] as? Int == 3)
        #expect(model["input_tokens"] as? Int == 200)
        #expect(model["calls_without_usage"] as? Int == 1)
        // Two provider-reported $0.50, the third call unpriced (no usage).
        #expect(model["cost_usd"] as? Double == 1.0)
        #expect(model["unpriced_calls"] as? Int == 1)
        let out = temporaryDirectory().appendingPathComponent("summary")
        _ = try runProcess(traceAnalyzeBinary, ["export", a, "--out", out.path])
        let summary = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
        let totals = try #require(summary["totals"] as? [String: Any])
        #expect(totals["cost_usd"] as? Double == 1.0)
        #expect(totals["input_tokens"] as? Int == 200)
        #expect(totals["calls_without_usage"] as? Int == 1)
        #expect(totals["unpriced_calls"] as? Int == 1)
        // The failed query: its own row is unknown, not zero.
        let failed = try #require(try Self.json([a, "--by", "query"]).last)
        #expect(failed["total_input_tokens"] is NSNull)
        #expect(failed["total_cost_usd"] is NSNull)
        #expect(failed["calls_without_usage"] as? Int == 1)
    }

    /// Item 5: failures are visible in the query and turn views, the label
    /// view says how many queries it scored, and the database has them.
    @Test func failuresAreVisible() throws {
        let a = try Self.log(Self.run("exp-a", trial: "1"))
        let queries = try Self.json([a, "--by", "query"])
        #expect(queries.map { $0["status"] as? String } == ["completed", "completed", "failed"])
        #expect(queries.last?["error"] as? String == "agent raised: budget")
        #expect(queries.first?["resolved"] as? Bool == true)
        #expect((queries.first?["labels"] as? [String: String])?["data_id"] == "d0")
        let table = try runProcess(traceAnalyzeBinary, [a, "--by", "query", "--all-columns"])
        #expect(table.stdout.contains("agent raised: budget"))
        let compact = try runProcess(traceAnalyzeBinary, [a, "--by", "query"])
        #expect(compact.stdout.contains("failed") && compact.stdout.contains("agent raised"))
        let turns = try Self.json([a, "--by", "turn"])
        let flags = try #require(turns.last?["flags"] as? [String])
        #expect(flags.contains("inference:error") && flags.contains("tool:error"))
        #expect(turns.last?["error"] as? String == "rate limited")
        #expect(turns.dropLast().allSatisfy { row in
            let flags = row["flags"] as? [String] ?? ["missing"]
            return !flags.contains("inference:error") && !flags.contains("tool:error") && row["error"] is NSNull
        })
        // The label view: q0 (d0, resolved) and q2 (d0, failed, no outcome).
        let excluded = try #require(try Self.json([a, "--by", "label:data_id"]).first)
        #expect(excluded["queries"] as? Int == 2)
        #expect(excluded["n_scored"] as? Int == 1)
        #expect(excluded["accuracy"] as? Double == 1.0)
        let zero = try #require(try Self.json([a, "--by", "label:data_id", "--failed-queries", "zero"]).first)
        #expect(zero["n_scored"] as? Int == 2)
        #expect(zero["accuracy"] as? Double == 0.5)
        // SQL can ask for accuracy and failures.
        let db = temporaryDirectory().appendingPathComponent("runs.sqlite").path
        let load = try runProcess(traceAnalyzeBinary, ["db", a, "-o", db])
        #expect(load.status == 0, "\(load.stderr)")
        let connection = try SQLiteConnection(path: db)
        let rows = try connection.rows("SELECT run_id, query_id, status, error, resolved, labels FROM queries ORDER BY query_id")
        #expect(rows.map { $0[2] } == ["completed", "completed", "failed"])
        #expect(rows[2][3] == "agent raised: budget")
        #expect(rows[0][4] == "1")
        #expect(rows[0][5]?.contains("\"data_id\":\"d0\"") == true)
    }

    /// Item 6: a label key no query has is a warning naming the keys that exist.
    @Test func anUnknownLabelKeyIsWarned() throws {
        let a = try Self.log(Self.run("exp-a", trial: "1"))
        let result = try runProcess(traceAnalyzeBinary, [a, "--by", "label:dataset"])
        #expect(result.status == 0)
        #expect(result.stderr.contains(#"no query or run has the label "dataset"; labels present: data_id, trial"#))
        let known = try runProcess(traceAnalyzeBinary, [a, "--by", "label:data_id"])
        #expect(!known.stderr.contains("no query or run has the label"))
    }
}

/// Item 4: a missing input is a non-zero exit for every command, after the
/// rest is analysed; a misspelt command is not read as a log path.
@Suite struct MissingInputTests {
    @Test func everyCommandExitsOneAfterAMissingInputAndStillDoesTheRest() throws {
        let log = bundledLogs()[0].path
        let dir = temporaryDirectory()
        let missing = dir.appendingPathComponent("nope.zst").path
        let commands: [(name: String, arguments: [String], output: String?)] = [
            ("analyze", [log, missing, "--by", "query"], nil),
            ("export", ["export", log, missing, "--out", dir.appendingPathComponent("summary").path], "summary/queries.csv"),
            ("report", ["report", log, missing, "-o", dir.appendingPathComponent("r.html").path], "r.html"),
            ("perfetto", ["perfetto", log, missing, "-o", dir.appendingPathComponent("p.json").path], "p.json"),
            ("compare", ["compare", log, missing, "--metrics", "ipw", "--metrics", "default"], nil),
            ("dump", ["dump", log, missing], nil),
            ("verify", ["verify", log, missing], nil),
        ]
        for command in commands {
            let result = try runProcess(traceAnalyzeBinary, command.arguments)
            #expect(result.status == 1, "\(command.name): \(result.stderr)")
            // The file is named once, with what is wrong.
            let said = result.stderr + result.stdout
            #expect(said.contains("nope.zst: error: no such file or directory") || said.contains("nope.zst: UNREADABLE"),
                    "\(command.name): \(said.suffix(300))")
            #expect(!said.contains("nope.zst: error: \(missing)"), "\(command.name)")
            if let output = command.output {
                #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(output).path), "\(command.name)")
            }
        }
        // The rest was analysed: q001 is there.
        let analysis = try runProcess(traceAnalyzeBinary, [log, missing, "--by", "query", "--format", "csv"])
        #expect(analysis.stdout.contains(",q001,"))
        let verify = try runProcess(traceAnalyzeBinary, ["verify", missing])
        #expect(verify.stdout == "\(missing): UNREADABLE: 0 segments, 0 events, 0 bytes, 0 runs: no such file or directory\n")
        // db writes nothing rather than a partial load.
        let db = dir.appendingPathComponent("runs.sqlite").path
        let load = try runProcess(traceAnalyzeBinary, ["db", log, missing, "-o", db])
        #expect(load.status == 1)
        #expect(load.stderr.contains("nothing written"))
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func aMisspeltCommandIsNotReadAsALog() throws {
        let log = bundledLogs()[0].path
        for (typo, meant) in [("exprot", "export"), ("repot", "report"), ("bd", "db"), ("veriyf", "verify")] {
            let result = try runProcess(traceAnalyzeBinary, [typo, log])
            #expect(result.status != 0, "\(typo)")
            #expect(result.stderr.contains("did you mean `\(meant)`?"), "\(typo): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        // A name that is far from every command is a missing log, as before.
        let far = try runProcess(traceAnalyzeBinary, ["zzzzzzzz", log])
        #expect(far.status == 1)
        #expect(!far.stderr.contains("did you mean"))
    }
}

/// Item 2: two logs with one run id never lose data silently. A file given
/// twice is harmless; two recorders of one run merge; two different logs
/// claiming the same place of a run are a conflict, named, exit 1.
@Suite struct SharedRunIDTests {
    /// A log of run `run` written by recorder `recorder` with one query
    /// `query` and its inference.
    static func write(_ path: String, run: String, recorder: String, query: String, tokens: Int64) throws {
        let recorder = try Recorder(path: path, configuration: RecorderConfiguration(
            flushInterval: .seconds(3600), runID: run, anchor: .identity, recorderID: recorder))
        let t: Int64 = 1_800_000_000_000_000_000
        recorder.record(.queryStart(QueryStart(queryID: query)), at: t)
        recorder.record(.inferenceStart(InferenceStart(spanID: "c-" + query, queryID: query, model: "m")), at: t + 10)
        recorder.record(.inferenceEnd(InferenceEnd(
            spanID: "c-" + query, queryID: query, promptTokens: tokens, completionTokens: 1)), at: t + 20)
        recorder.record(.queryEnd(QueryEnd(queryID: query, status: "completed")), at: t + 30)
        try recorder.close()
    }

    @Test func aFileGivenTwiceIsReadOnce() throws {
        let log = bundledLogs().last!.path
        let result = try runProcess(traceAnalyzeBinary, [log, log, "--by", "query", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 7)
        #expect(result.stderr.contains("duplicate of run demo-run-2024's segment 0"))
        #expect(!result.stderr.contains("conflict"))
    }

    @Test func twoRecordersOfOneRunMerge() throws {
        let dir = temporaryDirectory()
        let agent = dir.appendingPathComponent("agent.zst").path
        let gpu = dir.appendingPathComponent("gpu.zst").path
        try Self.write(agent, run: "exp1", recorder: "host-a", query: "q1", tokens: 100)
        // The other host records its telemetry into the same run.
        let other = try Recorder(path: gpu, configuration: RecorderConfiguration(
            flushInterval: .seconds(3600), runID: "exp1", anchor: .identity, recorderID: "host-b"))
        for step in 0...4 {
            other.record(.sample(TelemetrySample(source: "gpu0", gpuEnergyJoules: Double(step) * 10)),
                         at: 1_800_000_000_000_000_000 + Int64(step) * 10)
        }
        try other.close()
        for order in [[agent, gpu], [gpu, agent]] {
            let result = try runProcess(traceAnalyzeBinary, order + ["--by", "query", "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("duplicate") && !result.stderr.contains("conflict"), "\(result.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            #expect(rows.count == 1)
            #expect(rows.first?["run_id"] as? String == "exp1")
            #expect(rows.first?["total_input_tokens"] as? Int == 100)
            // The telemetry of the other recorder is attributed to the query.
            #expect(rows.first?["total_gpu_energy_joules"] as? Double == 30)
        }
        let verify = try runProcess(traceAnalyzeBinary, ["verify", agent, gpu])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test func twoDifferentLogsClaimingOnePlaceAreAConflict() throws {
        let dir = temporaryDirectory()
        let first = dir.appendingPathComponent("first.zst").path
        let second = dir.appendingPathComponent("second.zst").path
        try Self.write(first, run: "exp1", recorder: "same", query: "q1", tokens: 100)
        try Self.write(second, run: "exp1", recorder: "same", query: "q2", tokens: 200)
        let result = try runProcess(traceAnalyzeBinary, [first, second, "--by", "query", "--format", "csv"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "second.zst: segment 0 (byte 0): error: conflict: run exp1's segment 0 (recorder same) differs from the one in \(first)"),
            "\(result.stderr)")
        // The first is still analysed.
        #expect(result.stdout.contains(",q1,"))
        let verify = try runProcess(traceAnalyzeBinary, ["verify", first, second])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("CONFLICT: 1 segment claimed by two different logs of one run"))
        let db = dir.appendingPathComponent("runs.sqlite").path
        #expect(try runProcess(traceAnalyzeBinary, ["db", first, second, "-o", db]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: db))
        // Logs of earlier versions carry no recorder: two different ones of
        // one run are a conflict too (here the bundled v1 and v2 logs).
        let old = bundledLogs().filter { !$0.path.contains("format-v3") }.map(\.path)
        let both = try runProcess(traceAnalyzeBinary, old + ["--by", "run"])
        #expect(both.status == 1)
        #expect(both.stderr.contains("conflict: run demo-run-2024's segment 0 differs"))
    }
}

/// Items 10, 11 and 13: errors that name the file and the fix, one output
/// flag and `--quiet` everywhere, warnings summarised, one spelling of a set.
@Suite struct CommandConventionTests {
    let log = bundledLogs().last!.path

    @Test func runtimeErrorsNameTheFileAndTheFixWithoutAUsageBlock() throws {
        let dir = temporaryDirectory()
        let cases: [(arguments: [String], says: String)] = [
            (["export", log, "--out", "/proc/nope"], "/proc/nope: cannot create the directory: cannot create a file in /proc"),
            (["report", log, "-o", dir.path + "/missing/r.html"], "r.html: cannot write: the directory \(dir.path)/missing does not exist"),
            (["perfetto", log, "-o", log], "is also an input; give another output path (-o)"),
            (["db", log, "-o", log], "not a SQLite database but an agent-trace log: are the arguments swapped?"),
            (["db", log, "-o", dir.path + "/missing/x.sqlite"], "x.sqlite: cannot write: the directory \(dir.path)/missing does not exist"),
            (["import", log, "-o", dir.path + "/missing/x.zst"], "x.zst: cannot write: the directory \(dir.path)/missing does not exist"),
        ]
        for (arguments, says) in cases {
            let result = try runProcess(traceAnalyzeBinary, arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains(says), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Usage:") && !result.stderr.contains("NSCocoaErrorDomain"), "\(arguments)")
        }
        // The input survived.
        #expect(try runProcess(traceAnalyzeBinary, ["verify", log]).status == 0)
        // A bad price table: the file named once, with line and column.
        let prices = dir.appendingPathComponent("bad-prices.json")
        try Data("{\"models\": {\"a\":\n  {\"input_usd_per_mtok\": x}}}".utf8).write(to: prices)
        let bad = try runProcess(traceAnalyzeBinary, [log, "--prices", prices.path])
        #expect(bad.status == 1)
        #expect(bad.stderr == "Error: \(prices.path): malformed JSON: line 2, column 26: expected a value\n")
        // A symlink at the output path is replaced, its target never written.
        let target = dir.appendingPathComponent("target.txt")
        try Data("keep".utf8).write(to: target)
        let link = dir.appendingPathComponent("link.html").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        #expect(try runProcess(traceAnalyzeBinary, ["report", log, "-o", link]).status == 0)
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep")
        #expect(try String(contentsOfFile: link, encoding: .utf8).contains("<svg"))
        // A failed write leaves nothing half-written behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("partial") }.isEmpty)
    }

    @Test func everyCommandTakesQuietAndExportTakesOutput() throws {
        let dir = temporaryDirectory()
        let commands: [[String]] = [
            [log, "--by", "query"], ["export", log, "-o", dir.path + "/e"], ["export", log, "--output", dir.path + "/f"],
            ["db", log, "-o", dir.path + "/x.sqlite"], ["report", log, "-o", dir.path + "/r.html"],
            ["perfetto", log, "-o", dir.path + "/p.json"], ["compare", log, "--metrics", "ipw", "--metrics", "default"],
            ["dump", log], ["verify", log], ["metrics"],
        ]
        for arguments in commands {
            let result = try runProcess(traceAnalyzeBinary, arguments + ["--quiet"])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: dir.path + "/f/summary.json"))
        let verify = try runProcess(traceAnalyzeBinary, ["verify", log, "--quiet"])
        #expect(verify.stdout.isEmpty)
    }

    @Test func repeatedWarningsAreSummarised() throws {
        var lines = [#"{"type":"query_start","t":1800000000,"query_id":"q"}"#]
        for index in 0..<40 {
            lines.append(#"{"type":"tool_end","t":\#(1_800_000_001 + index),"span_id":"t\#(index)","query_id":"q","tool":"search","ok":true}"#)
        }
        lines.append(#"{"type":"query_end","t":1800000100,"query_id":"q","status":"completed"}"#)
        let path = try TrustworthyOutputTests.log(lines)
        let result = try runProcess(traceAnalyzeBinary, [path, "--by", "query"])
        #expect(result.status == 0)
        let warnings = result.stderr.split(separator: "\n")
        #expect(warnings.filter { $0.contains("tool end without a start") }.count == 6, "\(result.stderr)")
        #expect(warnings.contains { $0.hasPrefix("trace-analyze: … and 35 more like this: warning: run ") })
        let quiet = try runProcess(traceAnalyzeBinary, [path, "--by", "query", "--quiet"])
        #expect(quiet.stderr.isEmpty)
        // export tells the same warnings, summarised the same way.
        let export = try runProcess(traceAnalyzeBinary, ["export", path, "-o", temporaryDirectory().path + "/e"])
        #expect(export.stderr.split(separator: "\n").filter { $0.contains("tool end without a start") }.count == 6)
    }

    @Test func aSetIsWrittenOneWayAndHelpSaysWhatIsRefused() throws {
        let table = try runProcess(traceAnalyzeBinary, [log, "--by", "run", "--metrics", "ipw"])
        #expect(table.stdout.contains("metric set: ipw@2 · 1 row"))
        let help = try runProcess(traceAnalyzeBinary, ["compare", "--help"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("the tool, model and label views are not compared"))
        let refused = try runProcess(traceAnalyzeBinary, ["compare", log, "--metrics", "ipw", "--metrics", "default", "--by", "tool"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("compare takes --by turn, query or run, not tool."))
    }
}

/// Items 7 and 8: tables people can read — significant digits, grouped
/// thousands, a compact one-panel turn table with totals, `--columns`,
/// `--all-columns`, and a key/value run.
@Suite struct ReadableTableTests {
    let log = bundledLogs().last!.path

    @Test func theTurnTableIsOnePanelOfEightyColumnsWithTotals() throws {
        let result = try runProcess(traceAnalyzeBinary, [log, "--by", "turn"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines[0].split(separator: " ").map(String.init)
            == ["query", "turn", "model", "in", "out", "tools", "s", "GPU", "J", "cost", "$", "flags"])
        // 15 turns, a header and two rules, the totals, two footer lines: one panel.
        #expect(lines.count == 15 + 3 + 1 + 2)
        let totals = try #require(lines.first { $0.hasPrefix("total") })
        #expect(totals.contains("31,110") && totals.contains("2,160"))
        // Significant digits, not three decimals: the cheap call's cost shows.
        #expect(result.stdout.contains("0.0004614"))
    }

    @Test func columnsAndAllColumnsChooseWhatIsPrinted() throws {
        let chosen = try runProcess(traceAnalyzeBinary, [log, "--by", "turn", "--columns", "query_id,ttft_s"])
        #expect(chosen.stdout.hasPrefix("query_id  ttft_s\n"))
        let csv = try runProcess(traceAnalyzeBinary, [log, "--by", "turn", "--columns", "query_id,ttft_s", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("query_id,ttft_s,metric_set\nq001,0.106,default@3\n"))
        let all = try runProcess(traceAnalyzeBinary, [log, "--by", "turn", "--all-columns"])
        #expect(all.stdout.contains("inference_gpu_energy_joules") && all.stdout.contains("inference_ms_per_output_token"))
        let bad = try runProcess(traceAnalyzeBinary, [log, "--by", "turn", "--columns", "query_id,nope"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--columns: no column named nope in --by turn; columns: run_id, query_id,"))
    }

    @Test func oneRowIsNameValueLinesAndNumbersAreReadable() throws {
        let run = try runProcess(traceAnalyzeBinary, [log, "--by", "run"])
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first == "run_id                  demo-run-2024")
        #expect(lines.contains("gpu_energy_joules       13,345"))
        let label = try runProcess(traceAnalyzeBinary, [log, "--by", "label:data_id", "--columns", "data_id,accuracy_per_joule"])
        #expect(label.stdout.contains("\nd1                0.0003037\n"), "\(label.stdout)")
    }
}

/// Item 9: the report and the Perfetto trace take `--prices` and show the
/// costs the views show; the report shows what a benchmarker looks for.
@Suite struct ReportAndTraceTests {
    let log = bundledLogs().last!.path

    static func cheapPrices() throws -> String {
        let path = temporaryDirectory().appendingPathComponent("cheap.json")
        try Data("""
            {"models": {"gpt-4o-2024-08-06": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2},
                        "llama-3.3-70b-versatile": {"input_usd_per_mtok": 0.5, "output_usd_per_mtok": 0.5}}}
            """.utf8).write(to: path)
        return path.path
    }

    @Test func perfettoSlicesCarryTheViewsCostsUnderTheGivenPrices() throws {
        let prices = try Self.cheapPrices()
        let queries = try TrustworthyOutputTests.json([log, "--by", "query", "--prices", prices])
        let out = temporaryDirectory().appendingPathComponent("trace.json").path
        let result = try runProcess(traceAnalyzeBinary, ["perfetto", log, "-o", out, "--prices", prices])
        #expect(result.status == 0, "\(result.stderr)")
        let trace = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let events = try #require(trace["traceEvents"] as? [[String: Any]])
        let querySlices = events.filter { $0["cat"] as? String == "query" }
        #expect(querySlices.count == 6)
        for (slice, row) in zip(querySlices, queries) {
            let args = try #require(slice["args"] as? [String: Any])
            #expect(args["total_cost_usd"] as? Double == row["total_cost_usd"] as? Double)
            #expect(args["total_cost_usd"] as? Double != nil)
        }
        // Each inference is priced too.
        let inferences = events.filter { $0["cat"] as? String == "inference" }
        #expect(inferences.allSatisfy { (($0["args"] as? [String: Any])?["cost_usd"] as? Double) != nil })
    }

    @Test func theReportShowsPricedTablesFailuresLabelsAndTheLargestTurns() throws {
        let prices = try Self.cheapPrices()
        let out = temporaryDirectory().appendingPathComponent("report.html").path
        let result = try runProcess(traceAnalyzeBinary, ["report", log, "-o", out, "--prices", prices, "--turn-limit", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        for heading in ["Queries", "Models", "Tools", "By data_id", "Largest turns by energy", "Turns"] {
            #expect(html.contains("<h3>\(heading)</h3>"), "\(heading)")
        }
        // The cost of q001 under the cheap prices, as --by query gives it.
        let q001 = try #require(try TrustworthyOutputTests.json([log, "--by", "query", "--prices", prices]).first)
        let cost = try #require(q001["total_cost_usd"] as? Double)
        #expect(html.contains(ValueText.display(cost)))
        // The failed query is highlighted with its error; the run's labels are shown.
        #expect(html.contains("<tr class=\"fail\"><td>q005</td><td>failed</td>"))
        #expect(html.contains("agent raised: tool loop exceeded budget"))
        #expect(html.contains("<b>scenario</b> demo"))
        // The three largest turns get bars (q005 turn 0 is the largest of the demo).
        #expect(html.contains("Showing the 3 largest of 15 turns."))
        let bars = html.components(separatedBy: "Largest turns by energy")[1].components(separatedBy: "<h3>")[0]
        #expect(bars.contains("q005 · turn 0"))
        #expect(!bars.contains("q001 · turn 1"))
    }

    @Test func aThousandQueryChartLeavesTurnTintsOut() throws {
        let path = temporaryDirectory().appendingPathComponent("q150.zst").path
        var lines: [String] = []
        for q in 0..<150 {
            let t = 1_800_000_000 + 10 * q
            lines.append(#"{"type":"query_start","t":\#(t),"query_id":"q\#(q)"}"#)
            lines.append(#"{"type":"sample","t":\#(t),"source":"gpu0","gpu_energy_j":\#(q * 10)}"#)
            lines.append(#"{"type":"inference_start","t":\#(t + 1),"span_id":"c\#(q)","query_id":"q\#(q)"}"#)
            lines.append(#"{"type":"inference_end","t":\#(t + 2),"span_id":"c\#(q)","query_id":"q\#(q)"}"#)
            lines.append(#"{"type":"query_end","t":\#(t + 5),"query_id":"q\#(q)","status":"completed"}"#)
        }
        let events = temporaryDirectory().appendingPathComponent("q150.jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: events)
        #expect(try runProcess(traceAnalyzeBinary, ["import", events.path, "-o", path]).status == 0)
        let html = try runProcess(traceAnalyzeBinary, ["report", path, "-o", "-"]).stdout
        #expect(html.contains("turn tints left out above 100 queries"))
        #expect(!html.contains("class=\"ta\"") && !html.contains("class=\"tb\""))
        let small = try runProcess(traceAnalyzeBinary, ["report", log, "-o", "-"]).stdout
        #expect(small.contains("class=\"ta\""))
    }
}

/// Item 8's names: metrics that look alike say what they are over; the
/// renamed default set is version 2 and version 1 stays selectable.
@Suite struct MetricNameTests {
    @Test func ratesSayWhatTheyAreOverAndVersionOneKeepsItsNames() throws {
        let log = bundledLogs().last!.path
        let current = try #require(try TrustworthyOutputTests.json([log, "--by", "query"]).first)
        #expect(current["metric_set"] as? String == "default@3")
        let wall = try #require(current["wall_ms_per_output_token"] as? Double)
        #expect(current["wall_output_tokens_per_s"] as? Double != nil)
        #expect(current["inference_ms_per_output_token"] as? Double != nil)
        #expect(current["per_token_ms"] == nil && current["ms_per_output_token"] == nil)
        #expect(current.keys.allSatisfy { !$0.hasSuffix("_sec") })
        let old = try #require(try TrustworthyOutputTests.json([log, "--by", "query", "--metrics", "default@1"]).first)
        #expect(old["metric_set"] as? String == "default@1")
        #expect(old["per_token_ms"] as? Double == wall)
        #expect(old["throughput_tokens_per_sec"] as? Double == current["wall_output_tokens_per_s"] as? Double)
        let unknown = try runProcess(traceAnalyzeBinary, [log, "--metrics", "default@9"])
        #expect(unknown.status != 0)
    }
}

/// From the reliability issue: segments missing from the middle of a run are
/// damage that verify fails on and analysis names; names from a log cannot
/// drive a terminal; CSV cannot smuggle a spreadsheet formula.
@Suite struct HostileTextAndGapTests {
    @Test func aMissingMiddleSegmentIsAGapThatVerifyFailsOnAndAnalysisNames() throws {
        let frames = StreamedAnalysisTests.frames
        #expect(frames.count >= 3)
        let path = StreamedAnalysisTests.write([frames[0] + frames[2...].flatMap { $0 }])[0]
        let verify = try runProcess(traceAnalyzeBinary, ["verify", path])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("gap: run r1's segment 1 missing before this one (1 segment of events lost)"),
                "\(verify.stdout)")
        #expect(verify.stdout.contains("GAPS: 1 place where a run's segments are missing"))
        let analysis = try runProcess(traceAnalyzeBinary, [path, "--by", "query"])
        #expect(analysis.status == 0)
        #expect(analysis.stderr.contains("warning: gap: run r1's segment 1 missing"))
        // The intact log has none.
        let intact = StreamedAnalysisTests.write([frames.flatMap { $0 }])[0]
        #expect(try runProcess(traceAnalyzeBinary, ["verify", intact]).status == 0)
    }

    @Test func namesFromALogCannotDriveTheTerminal() throws {
        let evil = #"evil\u001b]0;T\u0007\u001b[2J\u202e"#
        let log = try TrustworthyOutputTests.log([
            #"{"type":"query_start","t":1800000000,"query_id":"q"}"#,
            #"{"type":"inference_start","t":1800000001,"span_id":"c","query_id":"q","model":"\#(evil)"}"#,
            #"{"type":"inference_end","t":1800000002,"span_id":"c","query_id":"q","prompt_tokens":1,"completion_tokens":1}"#,
            #"{"type":"tool_end","t":1800000003,"span_id":"t","query_id":"q","tool":"\#(evil)","ok":true}"#,
            #"{"type":"query_end","t":1800000004,"query_id":"q","status":"completed"}"#,
        ])
        for arguments in [[log, "--by", "model"], [log, "--by", "tool"], [log, "--by", "turn", "--all-columns"], ["verify", log]] {
            let result = try runProcess(traceAnalyzeBinary, arguments)
            for text in [result.stdout, result.stderr] {
                #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" }, "\(arguments)")
            }
        }
        // The warnings quote the name, escaped.
        let warned = try runProcess(traceAnalyzeBinary, [log, "--by", "query"])
        #expect(warned.stderr.contains(#"evil\u{1B}]0;T\u{7}\u{1B}[2J\u{202E}"#), "\(warned.stderr)")
        // JSON keeps the exact bytes (escaped as JSON).
        let json = try runProcess(traceAnalyzeBinary, [log, "--by", "model", "--format", "json"])
        #expect(json.stdout.contains(#"evil\u001b]0;T\u0007\u001b[2J"#))
    }

    @Test func csvNeutralisesSpreadsheetFormulasUnlessAsked() throws {
        let log = try TrustworthyOutputTests.log([
            #"{"type":"query_start","t":1800000000,"query_id":"q"}"#,
            #"{"type":"tool_start","t":1800000001,"span_id":"t","query_id":"q","tool":"=HYPERLINK(\"x\")"}"#,
            #"{"type":"tool_end","t":1800000002,"span_id":"t","query_id":"q","tool":"=HYPERLINK(\"x\")","ok":true}"#,
            #"{"type":"query_end","t":1800000003,"query_id":"q","status":"completed"}"#,
        ])
        let safe = try runProcess(traceAnalyzeBinary, [log, "--by", "tool", "--format", "csv"])
        #expect(safe.stdout.contains(#","'=HYPERLINK(""x"")","#), "\(safe.stdout)")
        let raw = try runProcess(traceAnalyzeBinary, [log, "--by", "tool", "--format", "csv", "--csv-formulas"])
        #expect(raw.stdout.contains(#","=HYPERLINK(""x"")","#))
        let dir = temporaryDirectory().appendingPathComponent("e").path
        _ = try runProcess(traceAnalyzeBinary, ["export", log, "-o", dir])
        #expect(try String(contentsOfFile: dir + "/tools.csv", encoding: .utf8).contains(#""'=HYPERLINK"#))
        // Numbers are never changed: a negative number stays a number.
        #expect(!safe.stdout.contains("'-"))
    }
}

/// From the reliability issue: inputs that are not regular files.
@Suite struct NonRegularInputTests {
    @Test func aFIFOInALogsDirectoryIsSkippedNotWaitedOn() throws {
        let dir = temporaryDirectory()
        try FileManager.default.copyItem(atPath: bundledLogs().last!.path, toPath: dir.appendingPathComponent("a.zst").path)
        let fifo = dir.appendingPathComponent("b.zst").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let result = try runProcess(traceAnalyzeBinary, [dir.path, "--by", "run", "--format", "csv"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("b.zst: warning: not a regular file: skipped (name it on the command line to read it)"))
        #expect(result.stdout.contains("demo-run-2024,"))
    }

    @Test func aDeviceThatNeverEndsIsReadWithABound() throws {
        let result = try runProcess(traceAnalyzeBinary, ["verify", "/dev/zero"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("/dev/zero: UNREADABLE: 0 segments, 0 events, 0 bytes, 0 runs: not a regular file and longer than 536870912 bytes: stopped reading"))
    }
}
