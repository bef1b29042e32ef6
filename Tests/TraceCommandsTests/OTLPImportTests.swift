import Foundation
import Testing
import TraceLog

/// `import --from otlp`: OpenTelemetry GenAI spans in the Collector's
/// file-exporter layout become queries, turns, tools and marks.
@Suite struct OTLPImportTests {
    static let fixture = repositoryRoot.appendingPathComponent("fixtures/otlp/collector-file-exporter.jsonl").path

    /// The CSV rows of `arguments`, as dictionaries.
    static func rows(_ arguments: [String]) throws -> [[String: String]] {
        let result = try runProcess(traceAnalyzeBinary, arguments + ["--format", "csv", "--quiet"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        guard let header = lines.first else { return [] }
        let names = CSVLine.fields(header)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(names, CSVLine.fields($0))) }
    }

    @Test func genAISpansBecomeQueriesTurnsAndTools() throws {
        let dir = temporaryDirectory()
        let log = dir.appendingPathComponent("otlp.zst").path
        let imported = try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", Self.fixture, "-o", log])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("imported 8 spans (15 events) from 2 lines"), "\(imported.stderr)")
        let turns = try Self.rows([log, "--by", "turn"])
        #expect(turns.map { "\($0["query_id"]!)/\($0["turn_index"]!)" }
            == ["eee19b7ec3c1b174/0", "eee19b7ec3c1b174/1", "fff19b7ec3c1b174/0"])
        #expect(turns.map { $0["input_tokens"]! } == ["1200", "1300", "900"])
        #expect(turns.map { $0["output_tokens"]! } == ["40", "60", "30"])
        // The response model wins over the requested one.
        #expect(turns.map { $0["model"]! } == ["gpt-4o-2024-08-06", "gpt-4o", "claude-sonnet-4"])
        #expect(turns.map { $0["tools_called"]! } == [#"["get_weather"]"#, "[]", #"["search"]"#])
        #expect(turns[2]["flags"]!.contains("tool:error"))
        let queries = try Self.rows([log, "--by", "query"])
        #expect(queries.map { $0["status"]! } == ["completed", "failed"])
        #expect(queries.map { $0["error"]! } == ["", "tool failed"])
        // Trace ids, conversation and agent as labels; ids as hex; the
        // cached tokens; the span that is neither a call nor a tool, a mark.
        let dumped = try runProcess(traceAnalyzeBinary, ["dump", log]).stdout
        #expect(dumped.contains(#""otel.trace_id":"5b8efff798038103d269b633813fc60c","conversation_id":"conv-1","agent_name":"weather""#))
        #expect(dumped.contains(#""cached_tokens":1000"#))
        #expect(dumped.contains(#""tool":"get_weather","parent_span_id":"eee19b7ec3c1b175""#))
        #expect(dumped.contains(#"{"type":"mark","t":1733140805.2,"name":"retrieve documents","query_id":"fff19b7ec3c1b174","span_id":"fff19b7ec3c1b177"}"#))
    }

    @Test func aCompressedFileGivesTheSameLogAndARunIDJoinsATelemetryLog() throws {
        let dir = temporaryDirectory()
        let plain = dir.appendingPathComponent("plain.zst").path
        let compressed = dir.appendingPathComponent("spans.jsonl.zst").path
        let fromCompressed = dir.appendingPathComponent("compressed.zst").path
        let zstd = try runProcess(URL(fileURLWithPath: "/usr/bin/zstd"), ["-q", "-f", Self.fixture, "-o", compressed])
        #expect(zstd.status == 0)
        #expect(try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", Self.fixture, "-o", plain]).status == 0)
        #expect(try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", compressed, "-o", fromCompressed]).status == 0)
        #expect(FileManager.default.contents(atPath: plain) == FileManager.default.contents(atPath: fromCompressed))

        // Telemetry recorded beside the agent (another recorder, same run id).
        var lines = [#"{"type":"run_start","t":1733140799.0,"run_id":"R1","host":"gpu-host"}"#]
        for tenth in 0...75 {
            let t = 1733140799.5 + Double(tenth) / 10
            lines.append(#"{"type":"sample","t":\#(t),"source":"gpu0","gpu_energy_j":\#(Double(tenth) * 30)}"#)
        }
        let telemetryLines = dir.appendingPathComponent("gpu.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: telemetryLines, atomically: true, encoding: .utf8)
        let gpu = dir.appendingPathComponent("gpu.zst").path
        let agent = dir.appendingPathComponent("agent.zst").path
        #expect(try runProcess(traceAnalyzeBinary, ["import", telemetryLines.path, "-o", gpu]).status == 0)
        #expect(try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", "--run-id", "R1", Self.fixture, "-o", agent]).status == 0)
        let turns = try Self.rows([agent, gpu, "--by", "turn"])
        #expect(turns.count == 3)
        #expect(turns.allSatisfy { $0["run_id"] == "R1" })
        // 300 W throughout: each turn's GPU energy is 300 W × its length.
        for turn in turns {
            let joules = Double(turn["gpu_energy_joules"] ?? "") ?? -1
            let seconds = Double(turn["wall_clock_s"] ?? "") ?? -1
            #expect(seconds > 0 && abs(joules - 300 * seconds) < 1e-6, "\(turn)")
        }
    }

    @Test func badSpansAreLeftOutWithAWarningAndBadLinesAreErrors() throws {
        let dir = temporaryDirectory()
        let input = dir.appendingPathComponent("bad.jsonl")
        let good = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"root","startTimeUnixNano":"1733140800000000000","endTimeUnixNano":"1733140801000000000"}"#
        let noID = #"{"traceId":"5b8efff798038103d269b633813fc60c","name":"x","startTimeUnixNano":"1","endTimeUnixNano":"2"}"#
        let backwards = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","name":"y","startTimeUnixNano":"5","endTimeUnixNano":"2"}"#
        let text = #"{"resourceSpans":[{"scopeSpans":[{"spans":[\#(good),\#(noID),\#(backwards)]}]}]}"# + "\nnot json\n{\"other\":1}\n"
        try text.write(to: input, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("bad.zst").path
        let result = try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", input.path, "-o", log])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.jsonl:1: span: missing or invalid spanId; left out"), "\(result.stderr)")
        #expect(result.stderr.contains("bad.jsonl:1: span eee19b7ec3c1b175: ends before it starts (2 < 5); left out"))
        #expect(result.stderr.contains("bad.jsonl:2: not a JSON object"))
        #expect(result.stderr.contains("bad.jsonl:3: no \"resourceSpans\" array"))
        #expect(result.stderr.contains("imported 1 spans (2 events)"))
    }
}

/// The fields of one CSV line (RFC 4180 quoting).
enum CSVLine {
    static func fields(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(line)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        fields.append(field)
        return fields
    }
}
