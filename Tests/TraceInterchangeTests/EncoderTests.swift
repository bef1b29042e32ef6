import Testing
import TraceInterchange
import TraceLog

@Suite("Encoder: member order, omitted nils, number and string text")
struct EncoderTests {
    let encoder = InterchangeEncoder()

    @Test("members come in the fixed order, nils omitted")
    func order() {
        let end = InferenceEnd(
            spanID: "c1", queryID: "q1", model: "gpt-4o", routedModel: "gpt-4o-2024", promptTokens: 812,
            completionTokens: 64, cachedTokens: nil, reasoningTokens: 0, costUSD: 0.0125, timeToFirstTokenSeconds: 0.5,
            cached: false, status: "ok", error: nil, stopReason: "stop")
        let event = TraceEvent(runID: "r", sequence: 9, timestamp: 1_732_238_400_125_000_000, payload: .inferenceEnd(end))
        #expect(encoder.encode(event) == #"{"type":"inference_end","t":1732238400.125,"span_id":"c1","query_id":"q1","#
            + #""model":"gpt-4o","routed_model":"gpt-4o-2024","prompt_tokens":812,"completion_tokens":64,"#
            + #""reasoning_tokens":0,"cost_usd":0.0125,"ttft_s":0.5,"cached":false,"status":"ok","stop_reason":"stop"}"#)
        let run = TraceEvent(
            runID: "ignored", sequence: 0, timestamp: 0,
            payload: .runStart(RunStart(runID: "r1", host: "h", recorderVersion: "0.1", labels: [Label("m", "x")])))
        #expect(InterchangeEncoder(timeFields: .both).encode(run)
            == #"{"type":"run_start","t":0.0,"t_ns":0,"run_id":"r1","host":"h","recorder_version":"0.1","labels":{"m":"x"}}"#)
        let sample = TelemetrySample(source: "gpu0", gpuEnergyJoules: 1234.5, cpuPowerWatts: .nan,
                                     energyWrapJoules: .infinity, temperatureCelsius: -.infinity)
        #expect(encoder.encode(timestamp: nil, payload: .sample(sample))
            == #"{"type":"sample","source":"gpu0","gpu_energy_j":1234.5,"cpu_power_w":"NaN","energy_wrap_j":"Infinity","#
            + #""temperature_c":"-Infinity"}"#)
    }

    @Test("doubles print as the shortest round-trip text, valid JSON")
    func doubles() {
        let cases: [(Double, String)] = [
            (312, "312.0"), (0.1, "0.1"), (1e-5, "1e-05"), (1e16, "1e+16"), (-0.0, "-0.0"), (0, "0.0"),
            (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (-2.5, "-2.5"),
        ]
        for (value, text) in cases {
            #expect(encoder.encode(timestamp: nil, payload: .queryEnd(QueryEnd(score: value)))
                == #"{"type":"query_end","score":\#(text)}"#)
        }
    }

    @Test("strings are escaped per RFC 8259 and other UTF-8 is kept")
    func strings() {
        let text = "a\"b\\c/\n\r\t\u{08}\u{0C}\u{00}\u{1F}\u{7F}é中😀\u{2028}"
        #expect(encoder.encode(timestamp: nil, payload: .mark(Mark(text: text)))
            == #"{"type":"mark","text":"a\"b\\c/\n\r\t\b\f\u0000\u001f"# + "\u{7F}é中😀\u{2028}\"}")
        // Bridged or otherwise non-contiguous strings take the slow path alike.
        let sub = Substring("xx\"yy").dropFirst()
        #expect(encoder.encode(timestamp: nil, payload: .mark(Mark(name: String(sub)))) == #"{"type":"mark","name":"x\"yy"}"#)
    }

    @Test("encoding into a buffer appends, without a newline")
    func appending() {
        var buffer = Array("prefix\n".utf8)
        let event = TraceEvent(runID: "r", sequence: 0, timestamp: 1, payload: .mark(Mark(name: "a")))
        encoder.encode(event, into: &buffer)
        encoder.encode(event, into: &buffer)
        let expected = "prefix\n" + #"{"type":"mark","t":0.000000001,"name":"a"}"#
            + #"{"type":"mark","t":0.000000001,"name":"a"}"#
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
    }

    @Test("the brief's example lines decode")
    func briefExamples() throws {
        let lines = [
            #"{"type":"query_start","t":1732238400.125,"query_id":"q0001","workload_type":"agentic","text":"…","labels":{"data_id":"d1"}}"#,
            #"{"type":"inference_end","t":1732238401,"query_id":"q0001","span_id":"c1","prompt_tokens":812,"completion_tokens":64,"cost_usd":null,"error":null}"#,
            #"{"type":"sample","t":1732238401.5,"source":"gpu0","gpu_energy_j":1234.5,"gpu_power_w":312.0,"cpu_energy_j":null,"cpu_power_w":null}"#,
        ]
        #expect(try decodeLine(lines[0]) == DecodedLine(
            timestamp: 1_732_238_400_125_000_000,
            payload: .queryStart(QueryStart(queryID: "q0001", workloadType: "agentic", text: "…", labels: [Label("data_id", "d1")]))))
        #expect(try decodeLine(lines[1]).payload == .inferenceEnd(
            InferenceEnd(spanID: "c1", queryID: "q0001", promptTokens: 812, completionTokens: 64)))
        #expect(try decodeLine(lines[2]).payload == .sample(
            TelemetrySample(source: "gpu0", gpuEnergyJoules: 1234.5, gpuPowerWatts: 312)))
    }
}
