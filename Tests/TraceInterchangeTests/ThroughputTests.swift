import Foundation
import Testing
import TraceInterchange
import TraceLog

@Suite("Throughput")
struct ThroughputTests {
    /// Runs only when `INTERCHANGE_THROUGHPUT` is set, and is meaningful only
    /// in a release build: `INTERCHANGE_THROUGHPUT=1 swift test -c release
    /// --filter ThroughputTests`.
    @Test(
        "decoding reaches one million lines per second",
        .enabled(if: ProcessInfo.processInfo.environment["INTERCHANGE_THROUGHPUT"] != nil))
    func decodeThroughput() throws {
        var text: [UInt8] = []
        var lineRanges: [Range<Int>] = []
        for sequence in 0..<200_000 {
            let start = text.count
            text.append(contentsOf: Self.typicalLine(sequence).utf8)
            lineRanges.append(start..<text.count)
            text.append(0x0A)
        }
        var decoder = InterchangeDecoder()
        var decoded = 0
        let started = ContinuousClock.now
        try text.withUnsafeBufferPointer { buffer in
            for range in lineRanges where try decoder.decode(UnsafeBufferPointer(rebasing: buffer[range])) != nil {
                decoded += 1
            }
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let rate = Double(decoded) / seconds
        print("decoded \(decoded) lines (\(text.count) bytes) in \(seconds) s: \(Int(rate)) lines/s")
        #expect(rate >= 1_000_000)
    }

    /// A line like those an agent runner writes: ASCII ids, a few numbers.
    static func typicalLine(_ n: Int) -> String {
        let t = "1732238\(400 + n / 1000).\(100_000 + n % 900_000)"
        let q = "q\(n / 50)"
        switch n % 8 {
        case 0:
            return #"{"type":"query_start","t":\#(t),"query_id":"\#(q)","workload_type":"agentic","#
                + #""text":"Find the cheapest flight from Zurich to Lisbon next week","labels":{"data_id":"d\#(n)","agent_id":"a1"}}"#
        case 1:
            return #"{"type":"inference_start","t":\#(t),"query_id":"\#(q)","span_id":"c\#(n)","model":"gpt-4o"}"#
        case 2:
            return #"{"type":"inference_end","t":\#(t),"query_id":"\#(q)","span_id":"c\#(n - 1)","#
                + #""prompt_tokens":\#(800 + n % 97),"completion_tokens":64,"cost_usd":0.00\#(n % 97 + 100),"#
                + #""ttft_s":0.4\#(n % 10),"cached":false,"error":null,"stop_reason":"tool_calls"}"#
        case 3:
            return #"{"type":"tool_start","t":\#(t),"query_id":"\#(q)","span_id":"t\#(n)","parent_span_id":"c\#(n - 2)","#
                + #""tool":"search","arguments":{"query":"flights ZRH LIS","limit":10}}"#
        case 4:
            return #"{"type":"tool_end","t":\#(t),"query_id":"\#(q)","span_id":"t\#(n - 1)","tool":"search","ok":true,"#
                + #""output_bytes":\#(n % 5000)}"#
        case 5, 6:
            return #"{"type":"sample","t":\#(t),"source":"gpu0","gpu_energy_j":\#(123_456 + n).\#(n % 1000),"#
                + #""gpu_power_w":312.\#(n % 100),"cpu_energy_j":null,"cpu_power_w":null,"gpu_util_pct":87.5}"#
        default:
            return #"{"type":"query_end","t":\#(t),"query_id":"\#(q)","status":"completed","#
                + #""response":"The cheapest flight is LX 2084 at 129 CHF","resolved":true,"score":1.0}"#
        }
    }
}
