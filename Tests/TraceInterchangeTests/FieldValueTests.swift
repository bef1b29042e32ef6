import Testing
import TraceInterchange
import TraceLog

@Suite("Field values: integers, numbers, strings, booleans, labels, error text")
struct FieldValueTests {
    func inferenceEnd(_ members: String) throws -> InferenceEnd {
        let line = try decodeLine(#"{"type":"inference_end","#  + members + "}")
        guard case .inferenceEnd(let event) = line.payload else {
            Issue.record("not an inference_end: \(line.payload)")
            return InferenceEnd()
        }
        return event
    }

    @Test("integers accept integral numbers and reject fractions")
    func integers() throws {
        #expect(try inferenceEnd(#""prompt_tokens":812"#).promptTokens == 812)
        #expect(try inferenceEnd(#""prompt_tokens":812.0"#).promptTokens == 812)
        #expect(try inferenceEnd(#""prompt_tokens":8.12e2"#).promptTokens == 812)
        #expect(try inferenceEnd(#""prompt_tokens":81200e-2"#).promptTokens == 812)
        #expect(try inferenceEnd(#""prompt_tokens":-3"#).promptTokens == -3)
        #expect(try inferenceEnd(#""prompt_tokens":0.0"#).promptTokens == 0)
        #expect(try inferenceEnd(#""prompt_tokens":null"#).promptTokens == nil)
        let error = decodingError(#"{"type":"inference_end","prompt_tokens":8.5}"#)
        #expect(error?.description == #"column 41: field "prompt_tokens": expected an integer, got 8.5"#)
        #expect(decodingError(#"{"type":"inference_end","prompt_tokens":"812"}"#)?.reason
            == .invalidField(field: "prompt_tokens", problem: #"expected an integer, got "812""#))
        #expect(decodingError(#"{"type":"tool_end","output_bytes":true}"#)?.reason
            == .invalidField(field: "output_bytes", problem: "expected an integer, got true"))
        #expect(decodingError(#"{"type":"tool_end","output_bytes":1e19}"#)?.reason
            == .invalidField(field: "output_bytes", problem: "1e19 is out of the 64-bit integer range"))
    }

    @Test("numbers: JSON numbers correctly rounded, null, and NaN/Infinity strings")
    func numbers() throws {
        let line = try decodeLine(
            #"{"type":"sample","source":"gpu0","gpu_energy_j":1234.5,"gpu_power_w":"NaN","cpu_energy_j":"Infinity","#
                + #""cpu_power_w":"-Infinity","dram_energy_j":null,"dram_power_w":0.1,"energy_wrap_j":262143.328850,"#
                + #""gpu_util_pct":1e2,"cpu_util_pct":-0.0,"memory_bytes":17179869184,"#
                + #""temperature_c":2.2250738585072011e-308}"#)
        guard case .sample(let sample) = line.payload else {
            Issue.record("not a sample")
            return
        }
        #expect(sample.source == "gpu0")
        #expect(sample.gpuEnergyJoules == 1234.5)
        #expect(sample.gpuPowerWatts?.isNaN == true)
        #expect(sample.cpuEnergyJoules == .infinity)
        #expect(sample.cpuPowerWatts == -.infinity)
        #expect(sample.dramEnergyJoules == nil)
        #expect(sample.dramPowerWatts == 0.1)
        #expect(sample.energyWrapJoules == 262143.328850)
        #expect(sample.gpuUtilizationPercent == 100)
        #expect(sample.cpuUtilizationPercent?.bitPattern == (-0.0 as Double).bitPattern)
        #expect(sample.memoryBytes == 17_179_869_184)
        #expect(sample.temperatureCelsius == Double("2.2250738585072011e-308"))
        #expect(decodingError(#"{"type":"sample","gpu_power_w":"nan"}"#)?.reason
            == .invalidField(
                field: "gpu_power_w", problem: #"expected a number, null, "NaN", "Infinity" or "-Infinity", got "nan""#))
        #expect(decodingError(#"{"type":"query_end","score":true}"#)?.column == 29)
        // One rule for numbers too large for their type: an error, for doubles
        // as for integers (infinity is written "Infinity").
        #expect(decodingError(#"{"type":"inference_end","cost_usd":1e999}"#)?.reason
            == .invalidField(field: "cost_usd", problem: #"1e999 is out of the range of a 64-bit double (write "Infinity")"#))
        #expect(decodingError(#"{"type":"inference_end","prompt_tokens":1e400}"#)?.reason
            == .invalidField(field: "prompt_tokens", problem: "1e400 is out of the 64-bit integer range"))
        #expect(decodingError(#"{"type":"query_end","score":-1e400}"#) != nil)
    }

    @Test("numbers parse correctly rounded, on the fast path and off it")
    func doubleRounding() throws {
        var random = SeededGenerator(seed: 7)
        var texts = ["9007199254740993", "0.1", "1e23", "8.98846567431158e307", "4.9e-324", "1e-400",
                     "123456789012345678901234567890", "0.30000000000000004", "2.2250738585072012e-308"]
        for _ in 0..<2000 {
            let value = Double(bitPattern: random.next())
            if value.isFinite { texts.append(value.description) }
            texts.append(String(Int64.random(in: -999_999_999_999_999...999_999_999_999_999, using: &random))
                         + "e" + String(Int.random(in: -30...30, using: &random)))
        }
        for text in texts {
            let line = try decodeLine(#"{"type":"query_end","score":\#(text)}"#)
            guard case .queryEnd(let end) = line.payload else { continue }
            #expect(end.score?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }

    @Test("strings accept numbers as their JSON text")
    func numbersAsStrings() throws {
        let line = try decodeLine(#"{"type":"inference_start","query_id":17,"span_id":-1.50e3,"model":null}"#)
        #expect(line.payload == .inferenceStart(InferenceStart(spanID: "-1.50e3", queryID: "17", model: nil)))
        #expect(decodingError(#"{"type":"mark","name":false}"#)?.description
            == #"column 23: field "name": expected a string, got false"#)
        #expect(decodingError(#"{"type":"mark","name":{"a":1}}"#)?.description
            == #"column 23: field "name": expected a string, got an object"#)
    }

    @Test("booleans: true, false, null; anything else is an error")
    func booleans() throws {
        #expect(try decodeLine(#"{"type":"tool_end","ok":true}"#).payload == .toolEnd(ToolEnd(ok: true)))
        #expect(try decodeLine(#"{"type":"tool_end","ok":false}"#).payload == .toolEnd(ToolEnd(ok: false)))
        #expect(try decodeLine(#"{"type":"tool_end","ok":null}"#).payload == .toolEnd(ToolEnd(ok: nil)))
        #expect(decodingError(#"{"type":"tool_end","ok":1}"#)?.description
            == #"column 25: field "ok": expected true, false or null, got 1"#)
    }

    @Test("error and arguments keep any JSON value as compact text")
    func freeFormText() throws {
        let line = try decodeLine(
            #"{"type":"tool_end","error": { "code" : 429 , "msg" : "rate \"limited\"  here", "at":[1, 2] } }"#)
        #expect(line.payload == .toolEnd(ToolEnd(error: #"{"code":429,"msg":"rate \"limited\"  here","at":[1,2]}"#)))
        #expect(try decodeLine(#"{"type":"query_end","error":"boom\n"}"#).payload
            == .queryEnd(QueryEnd(error: "boom\n")))
        #expect(try decodeLine(#"{"type":"inference_end","error":42}"#).payload
            == .inferenceEnd(InferenceEnd(error: "42")))
        #expect(try decodeLine(#"{"type":"query_end","error":null}"#).payload == .queryEnd(QueryEnd()))
        #expect(try decodeLine(#"{"type":"tool_start","arguments":{"q": "swift"}}"#).payload
            == .toolStart(ToolStart(arguments: #"{"q":"swift"}"#)))
    }

    @Test("labels keep document order; numbers and booleans as text; nulls skipped")
    func labels() throws {
        let line = try decodeLine(
            #"{"type":"query_start","labels":{"zeta":"1","alpha":2,"mid":true,"gone":null,"b\u00e9":"\u263A","alpha":"again"}}"#)
        let expected = [
            Label("zeta", "1"), Label("alpha", "2"), Label("mid", "true"), Label("bé", "☺"), Label("alpha", "again"),
        ]
        #expect(line.payload == .queryStart(QueryStart(labels: expected)))
        #expect(try decodeLine(#"{"type":"run_start","labels":{}}"#).payload == .runStart(RunStart()))
        #expect(try decodeLine(#"{"type":"run_start","labels":null}"#).payload == .runStart(RunStart()))
        #expect(decodingError(#"{"type":"run_start","labels":["a"]}"#)?.description
            == #"column 30: field "labels": expected an object, got an array"#)
        #expect(decodingError(#"{"type":"run_start","labels":{"a":{"b":1}}}"#)?.description
            == #"column 35: field "labels": label "a" must be a string, number or boolean"#)
        let printed = InterchangeEncoder().encode(timestamp: nil, payload: .queryStart(QueryStart(labels: expected)))
        #expect(printed == #"{"type":"query_start","labels":{"zeta":"1","alpha":"2","mid":"true","bé":"☺","alpha":"again"}}"#)
    }

    @Test("every kind reads all its fields by their interchange names")
    func fieldNames() throws {
        #expect(try decodeLine(#"{"type":"run_start","run_id":"r","host":"h","recorder_version":"v","labels":{"k":"v"}}"#).payload
            == .runStart(RunStart(runID: "r", host: "h", recorderVersion: "v", labels: [Label("k", "v")])))
        #expect(try decodeLine(#"{"type":"query_start","query_id":"q","workload_type":"w","text":"x"}"#).payload
            == .queryStart(QueryStart(queryID: "q", workloadType: "w", text: "x")))
        #expect(try decodeLine(#"{"type":"query_end","query_id":"q","status":"s","response":"r","error":"e","resolved":true,"score":0.5}"#).payload
            == .queryEnd(QueryEnd(queryID: "q", status: "s", response: "r", error: "e", resolved: true, score: 0.5)))
        #expect(try decodeLine(#"{"type":"inference_start","span_id":"c","query_id":"q","model":"m"}"#).payload
            == .inferenceStart(InferenceStart(spanID: "c", queryID: "q", model: "m")))
        #expect(try decodeLine(
            #"{"type":"inference_end","span_id":"c","query_id":"q","model":"m","routed_model":"rm","prompt_tokens":1,"#
                + #""completion_tokens":2,"cached_tokens":3,"reasoning_tokens":4,"cost_usd":0.25,"ttft_s":0.5,"#
                + #""cached":false,"status":"ok","error":"e","stop_reason":"stop"}"#).payload
            == .inferenceEnd(InferenceEnd(
                spanID: "c", queryID: "q", model: "m", routedModel: "rm", promptTokens: 1, completionTokens: 2,
                cachedTokens: 3, reasoningTokens: 4, costUSD: 0.25, timeToFirstTokenSeconds: 0.5, cached: false,
                status: "ok", error: "e", stopReason: "stop")))
        #expect(try decodeLine(#"{"type":"tool_start","span_id":"t","query_id":"q","tool":"x","parent_span_id":"c","arguments":"a"}"#).payload
            == .toolStart(ToolStart(spanID: "t", queryID: "q", tool: "x", parentSpanID: "c", arguments: "a")))
        #expect(try decodeLine(#"{"type":"tool_end","span_id":"t","query_id":"q","tool":"x","ok":true,"error":"e","output_bytes":9}"#).payload
            == .toolEnd(ToolEnd(spanID: "t", queryID: "q", tool: "x", ok: true, error: "e", outputBytes: 9)))
        #expect(try decodeLine(#"{"type":"mark","name":"n","query_id":"q","span_id":"s","text":"x"}"#).payload
            == .mark(Mark(name: "n", queryID: "q", spanID: "s", text: "x")))
    }

    @Test("fields of another kind are ignored; the last duplicate wins")
    func otherKindsFields() throws {
        #expect(try decodeLine(#"{"type":"mark","model":"m","prompt_tokens":"not checked","name":"a","name":"b"}"#).payload
            == .mark(Mark(name: "b")))
    }
}
