extension RecordFieldDecoder {
    /// Decodes the rest of the body as a payload of `kind`. Fields with
    /// unknown numbers are skipped; a known number with an unexpected wire
    /// type is ignored the same way, so that a field can change type in a
    /// later version without breaking this reader.
    mutating func payload(of kind: RecordKind) throws(SegmentDecodingError) -> EventPayload {
        switch kind {
        case .sample: return .sample(try sample())
        case .inferenceStart: return .inferenceStart(try inferenceStart())
        case .inferenceEnd: return .inferenceEnd(try inferenceEnd())
        case .toolStart: return .toolStart(try toolStart())
        case .toolEnd: return .toolEnd(try toolEnd())
        case .queryStart: return .queryStart(try queryStart())
        case .queryEnd: return .queryEnd(try queryEnd())
        case .mark: return .mark(try mark())
        case .runStart: return .runStart(try runStart())
        case .stringDefinition: throw fail("string definition decoded as an event")
        }
    }

    mutating func sample() throws(SegmentDecodingError) -> TelemetrySample {
        typealias F = FieldNumber.Sample
        var e = TelemetrySample()
        while let (n, v) = try next() {
            switch n {
            case F.source: e.source = v.string
            case F.gpuEnergy: e.gpuEnergyJoules = v.double
            case F.gpuPower: e.gpuPowerWatts = v.double
            case F.cpuEnergy: e.cpuEnergyJoules = v.double
            case F.cpuPower: e.cpuPowerWatts = v.double
            case F.dramEnergy: e.dramEnergyJoules = v.double
            case F.dramPower: e.dramPowerWatts = v.double
            case F.energyWrap: e.energyWrapJoules = v.double
            case F.gpuUtilization: e.gpuUtilizationPercent = v.double
            case F.cpuUtilization: e.cpuUtilizationPercent = v.double
            case F.memory: e.memoryBytes = v.double
            case F.temperature: e.temperatureCelsius = v.double
            default: break
            }
        }
        return e
    }

    /// A telemetry sample of format version 2 (docs/FORMAT.md §3.1): source
    /// key, presence bitmap, channel-coded values, then optional tagged
    /// fields (none defined yet; skipped).
    mutating func sampleV2(channels: SampleChannelTable) throws(SegmentDecodingError) -> TelemetrySample {
        var sample = TelemetrySample()
        try sampleV2(channels: channels, into: &sample)
        return sample
    }

    /// Decodes a version-2 sample into `e`, setting every field (absent ones
    /// to nil): a caller decoding many samples reuses one value instead of
    /// returning and copying a new one each time.
    mutating func sampleV2(channels: SampleChannelTable, into e: inout TelemetrySample) throws(SegmentDecodingError) {
        let sourceKey = try reader.readVarint()
        e.source = sourceKey > 0 ? try string(sourceKey - 1) : nil
        let present = try reader.readVarint()
        guard present >> SampleValueCoding.valueFields == 0 else {
            throw fail("sample presence bitmap \(present) has bits beyond the 11 value fields")
        }
        let channel = channels.channels(of: sourceKey)
        e.gpuEnergyJoules = present & 1 << 0 != 0 ? try sampleValue(channel) : nil
        e.gpuPowerWatts = present & 1 << 1 != 0 ? try sampleValue(channel + 1) : nil
        e.cpuEnergyJoules = present & 1 << 2 != 0 ? try sampleValue(channel + 2) : nil
        e.cpuPowerWatts = present & 1 << 3 != 0 ? try sampleValue(channel + 3) : nil
        e.dramEnergyJoules = present & 1 << 4 != 0 ? try sampleValue(channel + 4) : nil
        e.dramPowerWatts = present & 1 << 5 != 0 ? try sampleValue(channel + 5) : nil
        e.energyWrapJoules = present & 1 << 6 != 0 ? try sampleValue(channel + 6) : nil
        e.gpuUtilizationPercent = present & 1 << 7 != 0 ? try sampleValue(channel + 7) : nil
        e.cpuUtilizationPercent = present & 1 << 8 != 0 ? try sampleValue(channel + 8) : nil
        e.memoryBytes = present & 1 << 9 != 0 ? try sampleValue(channel + 9) : nil
        e.temperatureCelsius = present & 1 << 10 != 0 ? try sampleValue(channel + 10) : nil
        while try next() != nil {}
    }

    /// One channel-coded telemetry value, updating the channel's state.
    mutating func sampleValue(_ state: UnsafeMutablePointer<SampleChannelState>) throws(SegmentDecodingError) -> Double {
        let word = try reader.readVarint()
        let value: Double
        if word & 1 == 0 {
            let m = state.pointee.last &+ Varint.unzigzag(word >> 1)
            value = Double(m) / SampleValueCoding.powerOfTen(state.pointee.scale)
            state.pointee.last = m
        } else {
            let code = (word >> 1) & 31
            if code <= UInt64(SampleValueCoding.maxScale) {
                let m = Varint.unzigzag(word >> 6)
                value = Double(m) / SampleValueCoding.powerOfTen(Int(code))
                state.pointee.last = m
                state.pointee.scale = Int(code)
            } else if code == SampleValueCoding.rawCode && word >> 6 == 0 {
                value = Double(bitPattern: state.pointee.bits ^ (try reader.readVarint()))
            } else {
                throw fail("bad sample value code \(word)")
            }
        }
        state.pointee.bits = value.bitPattern
        return value
    }

    mutating func inferenceStart() throws(SegmentDecodingError) -> InferenceStart {
        typealias F = FieldNumber.InferenceStart
        var e = InferenceStart()
        while let (n, v) = try next() {
            switch n {
            case F.spanID: e.spanID = v.string
            case F.queryID: e.queryID = v.string
            case F.model: e.model = v.string
            default: break
            }
        }
        return e
    }

    mutating func inferenceEnd() throws(SegmentDecodingError) -> InferenceEnd {
        typealias F = FieldNumber.InferenceEnd
        var e = InferenceEnd()
        while let (n, v) = try next() {
            switch n {
            case F.spanID: e.spanID = v.string
            case F.queryID: e.queryID = v.string
            case F.model: e.model = v.string
            case F.routedModel: e.routedModel = v.string
            case F.promptTokens: e.promptTokens = v.int
            case F.completionTokens: e.completionTokens = v.int
            case F.cachedTokens: e.cachedTokens = v.int
            case F.reasoningTokens: e.reasoningTokens = v.int
            case F.costUSD: e.costUSD = v.double
            case F.timeToFirstToken: e.timeToFirstTokenSeconds = v.double
            case F.cached: e.cached = v.bool
            case F.status: e.status = v.string
            case F.error: e.error = v.string
            case F.stopReason: e.stopReason = v.string
            case F.provider: e.provider = v.string
            case F.cacheWriteTokens: e.cacheWriteTokens = v.int
            default: break
            }
        }
        return e
    }

    mutating func toolStart() throws(SegmentDecodingError) -> ToolStart {
        typealias F = FieldNumber.ToolStart
        var e = ToolStart()
        while let (n, v) = try next() {
            switch n {
            case F.spanID: e.spanID = v.string
            case F.queryID: e.queryID = v.string
            case F.tool: e.tool = v.string
            case F.parentSpanID: e.parentSpanID = v.string
            case F.arguments: e.arguments = v.string
            default: break
            }
        }
        return e
    }

    mutating func toolEnd() throws(SegmentDecodingError) -> ToolEnd {
        typealias F = FieldNumber.ToolEnd
        var e = ToolEnd()
        while let (n, v) = try next() {
            switch n {
            case F.spanID: e.spanID = v.string
            case F.queryID: e.queryID = v.string
            case F.tool: e.tool = v.string
            case F.ok: e.ok = v.bool
            case F.error: e.error = v.string
            case F.outputBytes: e.outputBytes = v.int
            default: break
            }
        }
        return e
    }

    mutating func queryStart() throws(SegmentDecodingError) -> QueryStart {
        typealias F = FieldNumber.QueryStart
        var e = QueryStart()
        while let (n, v) = try next() {
            switch n {
            case F.queryID: e.queryID = v.string
            case F.workloadType: e.workloadType = v.string
            case F.text: e.text = v.string
            case F.label: if let l = v.label { e.labels.append(l) }
            default: break
            }
        }
        return e
    }

    mutating func queryEnd() throws(SegmentDecodingError) -> QueryEnd {
        typealias F = FieldNumber.QueryEnd
        var e = QueryEnd()
        while let (n, v) = try next() {
            switch n {
            case F.queryID: e.queryID = v.string
            case F.status: e.status = v.string
            case F.response: e.response = v.string
            case F.error: e.error = v.string
            case F.resolved: e.resolved = v.bool
            case F.score: e.score = v.double
            default: break
            }
        }
        return e
    }

    mutating func mark() throws(SegmentDecodingError) -> Mark {
        typealias F = FieldNumber.Mark
        var e = Mark()
        while let (n, v) = try next() {
            switch n {
            case F.name: e.name = v.string
            case F.queryID: e.queryID = v.string
            case F.spanID: e.spanID = v.string
            case F.text: e.text = v.string
            default: break
            }
        }
        return e
    }

    mutating func runStart() throws(SegmentDecodingError) -> RunStart {
        typealias F = FieldNumber.RunStart
        var e = RunStart()
        while let (n, v) = try next() {
            switch n {
            case F.runID: e.runID = v.string
            case F.host: e.host = v.string
            case F.recorderVersion: e.recorderVersion = v.string
            case F.label: if let l = v.label { e.labels.append(l) }
            default: break
            }
        }
        return e
    }
}

extension RecordFieldDecoder {
    /// Decodes a version-2 sample's energy fields into `e` (the other value
    /// fields are stepped over, their channels left as they were: nothing
    /// codes against a field but that field itself) and returns its source
    /// key (string index + 1, 0 for none).
    /// `definedStrings` is the size of the segment's string table so far
    /// (the decoder's own table is not read: the caller resolves the key).
    @inline(__always)
    mutating func energyV2(
        channels: SampleChannelTable, definedStrings: Int, into e: inout EnergyFields
    ) throws(SegmentDecodingError) -> UInt64 {
        let sourceKey = try reader.readVarint()
        // An undefined string fails here, as ``sampleV2(channels:into:)`` fails.
        if sourceKey > 0 && sourceKey - 1 >= UInt64(definedStrings) {
            throw .malformed("string reference \(sourceKey - 1) not defined (table has \(definedStrings))",
                at: bodyOffset + reader.position)
        }
        let present = try reader.readVarint()
        guard present >> SampleValueCoding.valueFields == 0 else {
            throw fail("sample presence bitmap \(present) has bits beyond the 11 value fields")
        }
        let channel = channels.channels(of: sourceKey)
        e.present = UInt16(truncatingIfNeeded: present & EnergyFields.all)
        if present & 1 << 0 != 0 { e.gpuEnergy = try sampleValue(channel) }
        if present & 1 << 1 != 0 { e.gpuPower = try sampleValue(channel + 1) }
        if present & 1 << 2 != 0 { e.cpuEnergy = try sampleValue(channel + 2) }
        if present & 1 << 3 != 0 { e.cpuPower = try sampleValue(channel + 3) }
        if present & 1 << 4 != 0 { e.dramEnergy = try sampleValue(channel + 4) }
        if present & 1 << 5 != 0 { e.dramPower = try sampleValue(channel + 5) }
        if present & 1 << 6 != 0 { e.wrap = try sampleValue(channel + 6) }
        var rest = present >> UInt64(EnergyFields.count)
        while rest != 0 {
            if rest & 1 != 0 { try skipSampleValue() }
            rest >>= 1
        }
        while try next() != nil {}
        return sourceKey
    }

    /// Steps over one channel-coded value.
    mutating func skipSampleValue() throws(SegmentDecodingError) {
        let word = try reader.readVarint()
        guard word & 1 != 0 else { return }
        let code = (word >> 1) & 31
        if code <= UInt64(SampleValueCoding.maxScale) { return }
        guard code == SampleValueCoding.rawCode && word >> 6 == 0 else { throw fail("bad sample value code \(word)") }
        _ = try reader.readVarint()
    }
}
