/// The member names of the JSON Lines interchange, shared by the decoder and
/// the encoder so both spell them the same way.
///
/// The raw value is the name as it appears in a line.
enum InterchangeField: String, CaseIterable, Sendable {
    case type
    case t
    case tNs = "t_ns"
    case runID = "run_id"
    case host
    case recorderVersion = "recorder_version"
    case labels
    case queryID = "query_id"
    case workloadType = "workload_type"
    case text
    case status
    case response
    case error
    case resolved
    case score
    case spanID = "span_id"
    case model
    case routedModel = "routed_model"
    case promptTokens = "prompt_tokens"
    case completionTokens = "completion_tokens"
    case cachedTokens = "cached_tokens"
    case reasoningTokens = "reasoning_tokens"
    case costUSD = "cost_usd"
    case ttftSeconds = "ttft_s"
    case cached
    case stopReason = "stop_reason"
    case tool
    case parentSpanID = "parent_span_id"
    case arguments
    case ok
    case outputBytes = "output_bytes"
    case source
    case gpuEnergyJoules = "gpu_energy_j"
    case gpuPowerWatts = "gpu_power_w"
    case cpuEnergyJoules = "cpu_energy_j"
    case cpuPowerWatts = "cpu_power_w"
    case dramEnergyJoules = "dram_energy_j"
    case dramPowerWatts = "dram_power_w"
    case energyWrapJoules = "energy_wrap_j"
    case gpuUtilizationPercent = "gpu_util_pct"
    case cpuUtilizationPercent = "cpu_util_pct"
    case memoryBytes = "memory_bytes"
    case temperatureCelsius = "temperature_c"
    case name

    /// The longest name, in bytes.
    static let maximumLength = 17

    /// The names grouped by their length in bytes, for lookup without
    /// building a `String` from the key.
    static let byLength: [[(name: [UInt8], field: InterchangeField)]] = {
        var table = [[(name: [UInt8], field: InterchangeField)]](repeating: [], count: maximumLength + 1)
        for field in allCases {
            let bytes = Array(field.rawValue.utf8)
            precondition(bytes.count <= maximumLength, "raise maximumLength")
            table[bytes.count].append((bytes, field))
        }
        return table
    }()

    /// The field whose name is exactly `bytes`, or `nil` for a name the
    /// interchange does not define (such members are ignored).
    static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> InterchangeField? {
        guard bytes.count <= maximumLength else { return nil }
        for candidate in byLength[bytes.count] where candidate.name.elementsEqual(bytes) {
            return candidate.field
        }
        return nil
    }
}
