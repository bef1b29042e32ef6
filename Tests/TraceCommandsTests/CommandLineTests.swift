import Foundation
import Testing
import TraceLog

/// The built `trace-analyze`, run as users and scripts run it.
@Suite struct CommandLineTests {
    let binary = traceAnalyzeBinary

    @Test func theMainJobPrintsTurnsAndNamesTheMetricSet() throws {
        let log = bundledLogs()[0].path
        let table = try runProcess(binary, [log, "--by", "turn"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("metric set: default v1"))
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let json = try runProcess(binary, [log, "--by", "query", "--metrics", "ipw", "--format", "json"])
        #expect(json.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 6)
        #expect(rows.allSatisfy { $0["metric_set"] as? String == "ipw@1" })
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
                                (dir.appendingPathComponent("missing.zst").path, "open failed")] {
            let result = try runProcess(binary, [path, "--by", "turn"])
            #expect(result.status == 1, "\(path)")
            #expect(result.stderr.contains(path))
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    @Test func metricsListsEverySetWithItsVersion() throws {
        let result = try runProcess(binary, ["metrics"])
        #expect(result.stdout == "default\t1  (default)\nipw\t1\n")
    }
}

@Suite struct CompareCommandTests {
    @Test func compareShowsWhatChangesBetweenSets() throws {
        let log = bundledLogs()[0].path
        let result = try runProcess(traceAnalyzeBinary,
            ["compare", log, "--metrics", "ipw", "--metrics", "default", "--by", "query", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "query_id,column,value_a,value_b,delta,relative_change,metric_set")
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",ipw@1 vs default@1") })
        #expect(lines.contains { $0.hasPrefix("q001,total_cpu_energy_joules,") })
        #expect(result.stderr.contains("only in default@1: overhead_gpu_energy_joules"))
        let same = try runProcess(traceAnalyzeBinary, ["compare", log, "--metrics", "ipw", "--metrics", "ipw"])
        #expect(same.stdout.hasPrefix("(no rows)"))
        let one = try runProcess(traceAnalyzeBinary, ["compare", log, "--metrics", "ipw"])
        #expect(one.status != 0)
        #expect(one.stderr.contains("exactly twice"))
    }
}
