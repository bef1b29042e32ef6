extension SegmentEncoder {
    /// Appends one event, stamped with `timestamp` on the encoder's
    /// monotonic clock (see ``ClockAnchor``).
    @inlinable
    package mutating func append(_ payload: EventPayload, monotonic timestamp: Int64) {
        append(payload, timestamp, sender: 0)
    }

    /// Appends one event sent by process `sender` (0: unknown; else its id
    /// is written into the record, field 31; a telemetry sample's compact
    /// body does not carry it).
    @inlinable
    package mutating func append(_ payload: EventPayload, monotonic timestamp: Int64, sender: Int32) {
        append(payload, timestamp, sender: UInt64(UInt32(bitPattern: sender)))
    }

    /// The one encoding path; with a constant `sender` of 0 (the plain
    /// ``append(_:monotonic:)``) the sender field's test folds away.
    @inlinable @inline(__always)
    mutating func append(_ payload: EventPayload, _ timestamp: Int64, sender: UInt64) {
        if recordsInSegment == 0 { openSegment() }
        switch payload {
        case .sample(let e): append(e, timestamp)
        case .inferenceStart(let e): append(e, timestamp, sender: sender)
        case .inferenceEnd(let e): append(e, timestamp, sender: sender)
        case .toolStart(let e): append(e, timestamp, sender: sender)
        case .toolEnd(let e): append(e, timestamp, sender: sender)
        case .queryStart(let e): append(e, timestamp, sender: sender)
        case .queryEnd(let e): append(e, timestamp, sender: sender)
        case .mark(let e): append(e, timestamp, sender: sender)
        case .runStart(let e): append(e, timestamp, sender: sender)
        }
    }

    /// A telemetry sample in format version 2 (docs/FORMAT.md §3.1):
    /// source, presence bitmap, then each present value coded against its
    /// (source, field) channel.
    @inlinable
    mutating func append(_ e: TelemetrySample, _ t: Int64) {
        var sourceKey: UInt64 = 0
        if let source = e.source { sourceKey = intern(source) &+ 1 }
        var present: UInt64 = 0
        if e.gpuEnergyJoules != nil { present |= 1 << 0 }
        if e.gpuPowerWatts != nil { present |= 1 << 1 }
        if e.cpuEnergyJoules != nil { present |= 1 << 2 }
        if e.cpuPowerWatts != nil { present |= 1 << 3 }
        if e.dramEnergyJoules != nil { present |= 1 << 4 }
        if e.dramPowerWatts != nil { present |= 1 << 5 }
        if e.energyWrapJoules != nil { present |= 1 << 6 }
        if e.gpuUtilizationPercent != nil { present |= 1 << 7 }
        if e.cpuUtilizationPercent != nil { present |= 1 << 8 }
        if e.memoryBytes != nil { present |= 1 << 9 }
        if e.temperatureCelsius != nil { present |= 1 << 10 }
        let at = beginRecord(.sample, monotonic: t)
        buffer.appendVarint(sourceKey)
        buffer.appendVarint(present)
        let channel = channels.channels(of: sourceKey)
        let buffer = self.buffer
        Self.sampleValue(e.gpuEnergyJoules, channel, into: buffer)
        Self.sampleValue(e.gpuPowerWatts, channel + 1, into: buffer)
        Self.sampleValue(e.cpuEnergyJoules, channel + 2, into: buffer)
        Self.sampleValue(e.cpuPowerWatts, channel + 3, into: buffer)
        Self.sampleValue(e.dramEnergyJoules, channel + 4, into: buffer)
        Self.sampleValue(e.dramPowerWatts, channel + 5, into: buffer)
        Self.sampleValue(e.energyWrapJoules, channel + 6, into: buffer)
        Self.sampleValue(e.gpuUtilizationPercent, channel + 7, into: buffer)
        Self.sampleValue(e.cpuUtilizationPercent, channel + 8, into: buffer)
        Self.sampleValue(e.memoryBytes, channel + 9, into: buffer)
        Self.sampleValue(e.temperatureCelsius, channel + 10, into: buffer)
        endRecord(lengthOffset: at)
    }

    @inlinable
    mutating func append(_ e: InferenceStart, _ t: Int64, sender: UInt64 = 0) {
        typealias F = FieldNumber.InferenceStart
        let span = intern(e.spanID), query = intern(e.queryID), model = intern(e.model)
        let at = beginRecord(.inferenceStart, monotonic: t)
        field(F.spanID, reference: span)
        field(F.queryID, reference: query)
        field(F.model, reference: model)
        endRecord(lengthOffset: at, sender: sender)
    }

    @inlinable
    mutating func append(_ e: InferenceEnd, _ t: Int64, sender: UInt64 = 0) {
        typealias F = FieldNumber.InferenceEnd
        let span = intern(e.spanID), query = intern(e.queryID), model = intern(e.model)
        let routed = intern(e.routedModel), status = intern(e.status), stop = intern(e.stopReason)
        let rare = e.rare
        let provider = rare == nil ? nil : intern(rare!.provider)
        let at = beginRecord(.inferenceEnd, monotonic: t)
        field(F.spanID, reference: span)
        field(F.queryID, reference: query)
        field(F.model, reference: model)
        field(F.routedModel, reference: routed)
        field(F.promptTokens, e.promptTokens)
        field(F.completionTokens, e.completionTokens)
        field(F.cachedTokens, e.cachedTokens)
        field(F.reasoningTokens, e.reasoningTokens)
        field(F.costUSD, e.costUSD)
        field(F.timeToFirstToken, e.timeToFirstTokenSeconds)
        field(F.cached, e.cached)
        field(F.status, reference: status)
        field(F.error, inline: e.error)
        field(F.stopReason, reference: stop)
        if let rare {
            field(F.provider, reference: provider)
            field(F.cacheWriteTokens, rare.cacheWriteTokens)
        }
        endRecord(lengthOffset: at, sender: sender)
    }

    @inlinable
    mutating func append(_ e: ToolStart, _ t: Int64, sender: UInt64 = 0) {
        typealias F = FieldNumber.ToolStart
        let span = intern(e.spanID), query = intern(e.queryID), tool = intern(e.tool)
        let parent = intern(e.parentSpanID)
        let at = beginRecord(.toolStart, monotonic: t)
        field(F.spanID, reference: span)
        field(F.queryID, reference: query)
        field(F.tool, reference: tool)
        field(F.parentSpanID, reference: parent)
        field(F.arguments, inline: e.arguments)
        endRecord(lengthOffset: at, sender: sender)
    }

    @inlinable
    mutating func append(_ e: ToolEnd, _ t: Int64, sender: UInt64 = 0) {
        typealias F = FieldNumber.ToolEnd
        let span = intern(e.spanID), query = intern(e.queryID), tool = intern(e.tool)
        let at = beginRecord(.toolEnd, monotonic: t)
        field(F.spanID, reference: span)
        field(F.queryID, reference: query)
        field(F.tool, reference: tool)
        field(F.ok, e.ok)
        field(F.error, inline: e.error)
        field(F.outputBytes, e.outputBytes)
        endRecord(lengthOffset: at, sender: sender)
    }

    @inlinable
    mutating func append(_ e: QueryStart, _ t: Int64, sender: UInt64 = 0) {
        typealias F = FieldNumber.QueryStart
        let query = intern(e.queryID), workload = intern(e.workloadType)
        internLabels(e.labels)
        let at = beginRecord(.queryStart, monotonic: t)
        field(F.queryID, reference: query)
        field(F.workloadType, reference: workload)
        field(F.text, inline: e.text)
        labelFields(F.label, e.labels)
        endRecord(lengthOffset: at, sender: sender)
    }

    @inlinable
    mutating func append(_ e: QueryEnd, _ t: Int64, sender: UInt64 = 0) {
        typealias F = FieldNumber.QueryEnd
        let query = intern(e.queryID), status = intern(e.status)
        let at = beginRecord(.queryEnd, monotonic: t)
        field(F.queryID, reference: query)
        field(F.status, reference: status)
        field(F.response, inline: e.response)
        field(F.error, inline: e.error)
        field(F.resolved, e.resolved)
        field(F.score, e.score)
        endRecord(lengthOffset: at, sender: sender)
    }

    @inlinable
    mutating func append(_ e: Mark, _ t: Int64, sender: UInt64 = 0) {
        typealias F = FieldNumber.Mark
        let name = intern(e.name), query = intern(e.queryID), span = intern(e.spanID)
        let at = beginRecord(.mark, monotonic: t)
        field(F.name, reference: name)
        field(F.queryID, reference: query)
        field(F.spanID, reference: span)
        field(F.text, inline: e.text)
        endRecord(lengthOffset: at, sender: sender)
    }

    @inlinable
    mutating func append(_ e: RunStart, _ t: Int64, sender: UInt64 = 0) {
        typealias F = FieldNumber.RunStart
        let run = intern(e.runID), host = intern(e.host), version = intern(e.recorderVersion)
        internLabels(e.labels)
        let at = beginRecord(.runStart, monotonic: t)
        field(F.runID, reference: run)
        field(F.host, reference: host)
        field(F.recorderVersion, reference: version)
        labelFields(F.label, e.labels)
        endRecord(lengthOffset: at, sender: sender)
    }
}
