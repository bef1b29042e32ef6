import Foundation
import Testing
import TraceAnalysis
import TraceLog

/// The built `trace-analyze`, run as users and scripts run it.
@Suite struct CommandLineTests {
    let binary = traceAnalyzeBinary

    @Test func theMainJobPrintsTurnsAndNamesTheMetricSet() throws {
        let log = bundledLogs()[0].path
        let table = try runProcess(binary, [log, "--by", "turn"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("metric set: default@3"))
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let json = try runProcess(binary, [log, "--by", "query", "--metrics", "ipw", "--format", "json"])
        #expect(json.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 6)
        #expect(rows.allSatisfy { $0["metric_set"] as? String == "ipw@2" })
        #expect(rows.first?.keys.contains("throughput_tokens_per_sec") == true)
    }

    @Test func importThenZstdTestAcceptsTheLog() throws {
        let dir = temporaryDirectory()
        let events = dir.appendingPathComponent("events.jsonl")
        let dumped = try runProcess(binary, ["dump", bundledLogs()[0].path])
        #expect(dumped.status == 0)
        try Data(dumped.stdout.utf8).write(to: events)
        let log = dir.appendingPathComponent("run.zst").path
        let imported = try runProcess(binary, ["import", events.path, "-o", log, "--segment-bytes", "2048"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let zstd = URL(fileURLWithPath: "/usr/bin/zstd")
        if FileManager.default.isExecutableFile(atPath: zstd.path) {
            #expect(try runProcess(zstd, ["-q", "-t", log]).status == 0)
        }
        let verify = try runProcess(binary, ["verify", log])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains(": ok: "))
    }

    @Test func aBadImportLineFailsWithItsLineNumber() throws {
        let dir = temporaryDirectory()
        let events = dir.appendingPathComponent("bad.jsonl")
        try Data("{\"type\":\"mark\",\"t\":1}\n{\"type\":\"mark\",\"t\":\n".utf8).write(to: events)
        let result = try runProcess(binary, ["import", events.path, "-o", dir.appendingPathComponent("x.zst").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.jsonl:2: column"))
    }

    @Test func verifyFailsOnDamageAndNamesTheSegment() throws {
        let dir = temporaryDirectory()
        var bytes = try Data(contentsOf: bundledLogs()[0])
        let frames = LogReader.readFile(bundledLogs()[0].path).segments
        let middle = frames[frames.count / 2]
        bytes[middle.byteOffset + middle.compressedBytes / 2] ^= 0xFF
        let damaged = dir.appendingPathComponent("damaged.zst")
        try bytes.write(to: damaged)
        let verify = try runProcess(binary, ["verify", damaged.path])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("DAMAGED"))
        #expect(verify.stdout.contains("segment \(middle.frameIndex) (byte \(middle.byteOffset))"))
        // Analysis still runs on what is intact, and says what was lost.
        let analysis = try runProcess(binary, [damaged.path, "--by", "query", "--format", "csv"])
        #expect(analysis.status == 0)
        #expect(analysis.stderr.contains("damaged.zst: segment \(middle.frameIndex)"))
    }

    @Test func garbageAndMissingFilesGetAClearMessageAndNoCrash() throws {
        let dir = temporaryDirectory()
        let garbage = dir.appendingPathComponent("garbage.zst")
        try Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: garbage)
        let empty = dir.appendingPathComponent("empty.zst")
        try Data().write(to: empty)
        for (path, message) in [(garbage.path, "not a zstd frame"), (empty.path, "empty file"),
                                (dir.appendingPathComponent("missing.zst").path, "no such file or directory")] {
            let result = try runProcess(binary, [path, "--by", "turn"])
            #expect(result.status == 1, "\(path)")
            #expect(result.stderr.contains(path))
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    @Test func metricsListsEverySetWithItsVersion() throws {
        let result = try runProcess(binary, ["metrics"])
        #expect(result.stdout == "default@3 (default)\t\(DefaultMetricSet.summary)\ndefault@2\t\(DefaultMetricSetV2.summary)\n"
            + "default@1\t\(DefaultMetricSetV1.summary)\n"
            + "ipw@2\t\(IPWMetricSet.summary)\n")
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count < 200 })
    }
}

@Suite struct CompareCommandTests {
    @Test func compareShowsWhatChangesBetweenSets() throws {
        let log = bundledLogs()[0].path
        let result = try runProcess(traceAnalyzeBinary,
            ["compare", log, "--metrics", "ipw", "--metrics", "default", "--by", "query", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "run_id,query_id,column,value_a,value_b,delta,relative_change,metric_set")
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",ipw@2 vs default@3") })
        #expect(lines.contains { $0.hasPrefix("demo-run-2024,q001,total_cpu_energy_joules,") })
        #expect(result.stderr.contains("only in default@3: wall_ms_per_output_token, wall_output_tokens_per_s, overhead_gpu_energy_joules"))
        let same = try runProcess(traceAnalyzeBinary, ["compare", log, "--metrics", "ipw", "--metrics", "ipw"])
        #expect(same.stdout.hasPrefix("(no rows)"))
        let one = try runProcess(traceAnalyzeBinary, ["compare", log, "--metrics", "ipw"])
        #expect(one.status != 0)
        #expect(one.stderr.contains("exactly twice"))
    }
}

@Suite struct ViewAndExportCommandTests {
    let log = bundledLogs()[0].path

    @Test func toolModelAndLabelViewsHaveTheirContractColumns() throws {
        func header(_ by: String) throws -> String {
            let result = try runProcess(traceAnalyzeBinary, [log, "--by", by, "--format", "csv"])
            #expect(result.status == 0, "\(result.stderr)")
            return String(result.stdout.split(separator: "\n").first ?? "")
        }
        #expect(try header("tool")
            == "run_id,tool,calls,errors,latency_p50_s,latency_p95_s,gpu_energy_joules,calls_without_energy,metric_set")
        #expect(try header("model")
            == "run_id,model,calls,input_tokens,output_tokens,cached_tokens,calls_without_usage,cost_usd,unpriced_calls,"
            + "gpu_energy_joules,calls_without_energy,price_table,metric_set")
        #expect(try header("label:data_id").hasPrefix("run_id,data_id,queries,n_scored,"))
        #expect(try header("label:data_id").contains(",accuracy,accuracy_per_joule,accuracy_per_watt,"))
        let bad = try runProcess(traceAnalyzeBinary, [log, "--by", "label:"])
        #expect(bad.status != 0)
    }

    @Test func toolAndModelEnergyIsTheDefaultSetsSpanAttribution() throws {
        let json = try runProcess(traceAnalyzeBinary, [log, "--by", "model", "--format", "json"])
        let models = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let modelEnergy = models.compactMap { $0["gpu_energy_joules"] as? Double }.reduce(0, +)
        let turns = try runProcess(traceAnalyzeBinary, [log, "--by", "turn", "--format", "json"])
        let turnRows = try #require(try JSONSerialization.jsonObject(with: Data(turns.stdout.utf8)) as? [[String: Any]])
        let inferenceEnergy = turnRows.compactMap { $0["inference_gpu_energy_joules"] as? Double }.reduce(0, +)
        #expect(models.count == 2)
        #expect(abs(modelEnergy - inferenceEnergy) <= 1e-9 * inferenceEnergy)
    }

    @Test func repricingChangesCostsAndNothingElse() throws {
        let dir = temporaryDirectory()
        let cheap = dir.appendingPathComponent("cheap.json")
        try Data("""
            {"models": {"gpt-4o-2024-08-06": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2},
                        "llama-3.3-70b-versatile": {"input_usd_per_mtok": 0.5, "output_usd_per_mtok": 0.5}}}
            """.utf8).write(to: cheap)
        func rows(_ extra: [String]) throws -> [[String: Any]] {
            let result = try runProcess(traceAnalyzeBinary, [log, "--by", "query", "--format", "json"] + extra)
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        }
        let rowsA = try rows([]), rowsB = try rows(["--prices", cheap.path])
        #expect(rowsA.count == rowsB.count)
        #expect(rowsA.count == 6)
        for (ra, rb) in zip(rowsA, rowsB) {
            #expect(ra["total_cost_usd"] as? Double != rb["total_cost_usd"] as? Double)
            #expect((ra["price_table"] as? String)?.hasPrefix("default-prices.json@") == true)
            #expect((rb["price_table"] as? String)?.hasPrefix("cheap.json sha256:") == true)
            var (ma, mb) = (ra, rb)
            for column in ["price_table", "total_cost_usd"] {
                ma[column] = nil
                mb[column] = nil
            }
            let textA = try JSONSerialization.data(withJSONObject: ma, options: [.sortedKeys])
            let textB = try JSONSerialization.data(withJSONObject: mb, options: [.sortedKeys])
            #expect(ma.count > 20)
            #expect(textA == textB)
        }
        let missing = try runProcess(traceAnalyzeBinary, [log, "--prices", dir.appendingPathComponent("nope.json").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nope.json"))
    }

    @Test func exportWritesTheFiveFilesMatchingTheViews() throws {
        let out = temporaryDirectory().appendingPathComponent("summary")
        let result = try runProcess(traceAnalyzeBinary, ["export", log, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        for (file, view) in [("turns.csv", "turn"), ("queries.csv", "query"), ("tools.csv", "tool"), ("models.csv", "model")] {
            let written = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            let printed = try runProcess(traceAnalyzeBinary, [log, "--by", view, "--format", "csv"]).stdout
            #expect(written == printed, "\(file)")
        }
        let summary = try Data(contentsOf: out.appendingPathComponent("summary.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
        #expect(object["metric_set"] as? String == "default")
        let logBytes = try Data(contentsOf: URL(fileURLWithPath: log))
        #expect(object["log_sha256"] as? String == ContentDigest.hex(Array(logBytes)))
        #expect((object["price_table"] as? [String: Any])?["sha256"] as? String != nil)
    }
}
