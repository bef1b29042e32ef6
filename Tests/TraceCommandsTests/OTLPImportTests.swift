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
        // The provider, from gen_ai.provider.name or the older gen_ai.system.
        #expect(dumped.contains(#""status":"ok","provider":"openai"}"#), "\(dumped)")
        #expect(dumped.contains(#""provider":"anthropic""#))
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

/// `trace-analyze otlp`: the analysed run as OTLP JSON, read back by
/// `import --from otlp`, or posted to a collector.
@Suite struct OTLPExportTests {
    @Test func writtenSpansFollowTheOTLPJSONRulesAndReadBackToTheSameEvents() throws {
        let dir = temporaryDirectory()
        let log = dir.appendingPathComponent("otlp.zst").path
        let spans = dir.appendingPathComponent("spans.jsonl").path
        let again = dir.appendingPathComponent("again.zst").path
        #expect(try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", OTLPImportTests.fixture, "-o", log]).status == 0)
        let written = try runProcess(traceAnalyzeBinary, ["otlp", log, "-o", spans, "--quiet"])
        #expect(written.status == 0, "\(written.stderr)")
        let text = try String(contentsOfFile: spans, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        // The encoding: hex ids of the right lengths, int64 as strings, enums as integers.
        var spanCount = 0
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let resource = try #require((object["resourceSpans"] as? [[String: Any]])?.first)
            let scoped = try #require((resource["scopeSpans"] as? [[String: Any]])?.first?["spans"] as? [[String: Any]])
            for span in scoped {
                spanCount += 1
                #expect((span["traceId"] as? String)?.count == 32)
                #expect((span["spanId"] as? String)?.count == 16)
                #expect(span["startTimeUnixNano"] is String && span["endTimeUnixNano"] is String)
                #expect(span["kind"] is Int)
                for attribute in span["attributes"] as? [[String: Any]] ?? [] {
                    if let value = attribute["value"] as? [String: Any], let int = value["intValue"] { #expect(int is String) }
                }
            }
        }
        #expect(spanCount == 7)  // 2 queries, 3 inferences, 2 tools (the mark is not a span of the structure)
        #expect(text.contains(#"{"key":"agent_trace.metric_set","value":{"stringValue":"default@3"}}"#))
        #expect(text.contains(#"{"key":"gen_ai.usage.cost.currency","value":{"stringValue":"USD"}}"#))
        #expect(text.contains(#""status":{"code":2,"message":"timeout"}"#))
        // Read back: every span, parent, token count and id.
        #expect(try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", spans, "-o", again]).status == 0)
        let before = try runProcess(traceAnalyzeBinary, ["dump", log]).stdout.split(separator: "\n").filter { !$0.contains(#""type":"mark""#) }
        let after = try runProcess(traceAnalyzeBinary, ["dump", again]).stdout.split(separator: "\n")
        #expect(before == after)
    }

    @Test func demoRunRoundTripsToTheSameTurns() throws {
        let dir = temporaryDirectory()
        let demo = repositoryRoot.appendingPathComponent("fixtures/format-v3/demo-run.zst").path
        let spans = dir.appendingPathComponent("demo.jsonl").path
        let again = dir.appendingPathComponent("demo.zst").path
        #expect(try runProcess(traceAnalyzeBinary, ["otlp", demo, "-o", spans, "--quiet"]).status == 0)
        // The demo run has telemetry: every span carries its GPU energy.
        let text = try String(contentsOfFile: spans, encoding: .utf8)
        let spanCount = text.components(separatedBy: #""spanId":"#).count - 1
        let queries = text.split(separator: "\n").count
        #expect(text.components(separatedBy: "agent_trace.energy.gpu_joules").count - 1 == spanCount - queries)
        #expect(text.components(separatedBy: "agent_trace.energy.cpu_joules").count - 1 == spanCount - queries)
        #expect(try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", spans, "-o", again, "--quiet"]).status == 0)
        let columns = ["query_id", "turn_index", "input_tokens", "output_tokens", "tools_called", "model", "cost_usd", "error"]
        let original = try OTLPImportTests.rows([demo, "--by", "turn"]).map { row in columns.map { row[$0] ?? "-" } }
        let readBack = try OTLPImportTests.rows([again, "--by", "turn"]).map { row in columns.map { row[$0] ?? "-" } }
        #expect(original.count > 0 && original == readBack)
    }

    @Test func spansCarryTheirEnergyFlagsWhereTheTelemetryFallsShort() throws {
        let dir = temporaryDirectory()
        // GPU telemetry that ends 2 s into the run: the second query has none.
        var lines = [#"{"type":"run_start","t":1733140799.0,"run_id":"R2"}"#]
        for tenth in 0...25 {
            lines.append(#"{"type":"sample","t":\#(1733140799.5 + Double(tenth) / 10),"source":"gpu0","gpu_energy_j":\#(Double(tenth) * 30)}"#)
        }
        let telemetry = dir.appendingPathComponent("gpu.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: telemetry, atomically: true, encoding: .utf8)
        let gpu = dir.appendingPathComponent("gpu.zst").path, agent = dir.appendingPathComponent("agent.zst").path
        let spans = dir.appendingPathComponent("spans.jsonl").path
        #expect(try runProcess(traceAnalyzeBinary, ["import", telemetry.path, "-o", gpu]).status == 0)
        #expect(try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", "--run-id", "R2", OTLPImportTests.fixture, "-o", agent]).status == 0)
        #expect(try runProcess(traceAnalyzeBinary, ["otlp", agent, gpu, "-o", spans, "--quiet"]).status == 0)
        let text = try String(contentsOfFile: spans, encoding: .utf8)
        let requests = text.split(separator: "\n").map(String.init)
        try #require(requests.count == 2)
        // The first query is covered: energy on its chat spans, no flags on the first call.
        #expect(requests[0].contains(#""agent_trace.energy.gpu_joules""#))
        #expect(requests[0].contains(#""agent_trace.run_id","value":{"stringValue":"R2"}"#))
        // The second is not: its spans say so.
        #expect(requests[1].contains(#"{"key":"agent_trace.energy.flags","value":{"arrayValue":{"values":[{"stringValue":"gpu:"#), "\(requests[1])")
    }

    @Test func spansArePostedToACollector() throws {
        let collector = try LoopbackCollector()
        let dir = temporaryDirectory()
        let log = dir.appendingPathComponent("otlp.zst").path
        #expect(try runProcess(traceAnalyzeBinary, ["import", "--from", "otlp", OTLPImportTests.fixture, "-o", log]).status == 0)
        let posted = try runProcess(traceAnalyzeBinary, ["otlp", log, "--endpoint", "http://127.0.0.1:\(collector.port)"])
        #expect(posted.status == 0, "\(posted.stderr)")
        let requests = collector.finish()
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.path == "/v1/traces" && $0.contentType == "application/json" })
        #expect(requests.allSatisfy { $0.body.contains(#""resourceSpans""#) })
        // A collector that refuses: an error naming the status.
        let refusing = try LoopbackCollector(status: 400)
        let refused = try runProcess(traceAnalyzeBinary, ["otlp", log, "--endpoint", "http://127.0.0.1:\(refusing.port)/v1/traces"])
        _ = refusing.finish()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the collector refused the spans: HTTP 400"), "\(refused.stderr)")
    }
}

/// An HTTP server on a loopback port that answers every request with
/// `status` and keeps what it got.
final class LoopbackCollector: @unchecked Sendable {
    struct Request {
        var path: String
        var contentType: String
        var body: String
    }

    let port: Int
    private let listener: Int32
    private var requests: [Request] = []
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)

    init(status: Int = 200) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(fd, 16)
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: bound.sin_port))
        Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { break }
                var data = Data()
                var buffer = [UInt8](repeating: 0, count: 65536)
                // Headers, then Content-Length bytes of body.
                while true {
                    let n = read(client, &buffer, buffer.count)
                    if n <= 0 { break }
                    data.append(contentsOf: buffer[0..<n])
                    let text = String(decoding: data, as: UTF8.self)
                    guard let end = text.range(of: "\r\n\r\n") else { continue }
                    let head = String(text[..<end.lowerBound])
                    let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                    let bodyStart = text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound.samePosition(in: text.utf8)!)
                    if data.count - bodyStart >= length {
                        let lines = head.split(separator: "\r\n")
                        let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                        let type = lines.first { $0.lowercased().hasPrefix("content-type:") }
                            .map { String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) } ?? ""
                        let body = String(decoding: data[bodyStart..<(bodyStart + length)], as: UTF8.self)
                        lock.lock()
                        requests.append(Request(path: path, contentType: type, body: body))
                        lock.unlock()
                        let answer = "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                        _ = Array(answer.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                        break
                    }
                }
                close(client)
            }
            done.signal()
        }.start()
    }

    /// Stops the server and gives the requests it got.
    func finish() -> [Request] {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return requests
    }
}
