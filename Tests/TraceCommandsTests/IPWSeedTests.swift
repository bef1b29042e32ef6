import Foundation
import Testing

/// The `ipw` set against the reference runner's own code: the seed's
/// `_build_turn_traces` and `_correlate_energy`, read at run time from
/// ../shared/seeds by tools/ipw-seed-bench.py and run on the same events,
/// give the same turn and query numbers, bit for bit — the time arithmetic
/// included (float seconds since the epoch, as `time.time()` gives them).
@Suite struct IPWSeedTests {
    static let seeds = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/seeds")

    @Test(arguments: ["format-v1", "format-v2", "format-v3"])
    func theBundledLogsGiveTheSeedsNumbers(version: String) throws {
        guard FileManager.default.fileExists(atPath: Self.seeds.path) else {
            print("skipped: \(Self.seeds.path) is not here")
            return
        }
        let log = repositoryRoot.appendingPathComponent("fixtures/\(version)/demo-run.zst").path
        let dump = try runProcess(traceAnalyzeBinary, ["dump", log])
        #expect(dump.status == 0)
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let seed = try runProcess(python, ["python3", repositoryRoot.appendingPathComponent("tools/ipw-seed-bench.py").path, "--rows"],
                                  stdin: Data(dump.stdout.utf8))
        #expect(seed.status == 0, "\(seed.stderr)")
        let expected = try seed.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        func rows(_ view: String) throws -> [[String: Any]] {
            let out = try runProcess(traceAnalyzeBinary, [log, "--metrics", "ipw", "--by", view, "--format", "json"])
            return try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        }
        let turns = try rows("turn"), queries = try rows("query")
        #expect(queries.count == expected.count && !expected.isEmpty)
        var turnIndex = 0
        for (query, reference) in zip(queries, expected) {
            let id = try #require(reference["query_id"] as? String)
            #expect(query["query_id"] as? String == id)
            #expect(query["total_wall_clock_s"] as? Double == reference["total_wall_clock_s"] as? Double, "\(id)")
            for referenceTurn in try #require(reference["turns"] as? [[String: Any]]) {
                let turn = turns[turnIndex]
                turnIndex += 1
                #expect(turn["query_id"] as? String == id)
                for key in ["wall_clock_s", "gpu_energy_joules", "cpu_energy_joules", "gpu_power_avg_watts", "cpu_power_avg_watts"] {
                    #expect(turn[key] as? Double == referenceTurn[key] as? Double, "\(id) turn \(turnIndex) \(key)")
                }
                let latencies = turn["tool_latencies_s"] as? [String: Double] ?? [:]
                #expect(latencies == referenceTurn["tool_latencies_s"] as? [String: Double] ?? [:], "\(id) latencies")
            }
        }
        #expect(turnIndex == turns.count)
    }
}
