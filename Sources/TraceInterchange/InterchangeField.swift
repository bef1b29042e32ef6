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
    case senderPID = "sender_pid"
    case provider
    case cacheWriteTokens = "cache_write_tokens"

    /// The longest name, in bytes.
    static let maximumLength = 18

    /// One slot of ``table``.
    private struct Slot {
        var name = PackedName()
        var field: InterchangeField?
    }

    /// log2 of the number of slots in ``table``.
    private static let tableBits = 7

    /// An open-addressing hash table of the packed names (linear probing;
    /// 128 slots for 44 names, so a lookup seldom probes twice). An empty
    /// slot has no field.
    private static let table: [Slot] = {
        var table = [Slot](repeating: Slot(), count: 1 << tableBits)
        for field in allCases {
            let name = PackedName(field.rawValue)
            precondition(name.count <= maximumLength, "raise maximumLength")
            var slot = Int(truncatingIfNeeded: name.hash >> UInt64(64 - tableBits))
            while table[slot].field != nil { slot = (slot + 1) & (table.count - 1) }
            table[slot] = Slot(name: name, field: field)
        }
        return table
    }()

    /// The field whose name is exactly `bytes[range]`, or `nil` for a name
    /// the interchange does not define (such members are ignored).
    @inline(__always)
    static func named(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> InterchangeField? {
        guard range.count <= maximumLength, let name = PackedName(bytes, range) else { return nil }
        return named(name)
    }

    /// The field whose packed name is `name`, or `nil` for a name the
    /// interchange does not define.
    @inline(__always)
    static func named(_ name: PackedName) -> InterchangeField? {
        table.withUnsafeBufferPointer { table in
            var slot = Int(truncatingIfNeeded: name.hash >> UInt64(64 - tableBits))
            while let field = table[slot].field {
                if table[slot].name == name { return field }
                slot = (slot + 1) & (table.count - 1)
            }
            return nil
        }
    }

    /// The field whose name is exactly `bytes`, or `nil` for a name the
    /// interchange does not define (such members are ignored).
    static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> InterchangeField? {
        named(in: bytes, 0..<bytes.count)
    }
}
