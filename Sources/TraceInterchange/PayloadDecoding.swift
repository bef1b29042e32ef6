import TraceLog

/// The fields of each kind of event, read from a line's members.
///
/// Members the interchange does not define for a kind are ignored. When a
/// member appears twice, the last one wins.
extension FieldReader {
    @inline(__always)
    mutating func payload(_ kind: RecordKind, _ members: [JSONMember]) throws(InterchangeError) -> EventPayload {
        switch kind {
        case .runStart: return .runStart(try runStart(members))
        case .queryStart: return .queryStart(try queryStart(members))
        case .queryEnd: return .queryEnd(try queryEnd(members))
        case .inferenceStart: return .inferenceStart(try inferenceStart(members))
        case .inferenceEnd: return .inferenceEnd(try inferenceEnd(members))
        case .toolStart: return .toolStart(try toolStart(members))
        case .toolEnd: return .toolEnd(try toolEnd(members))
        case .sample: return .sample(try sample(members))
        case .mark: return .mark(try mark(members))
        case .stringDefinition: preconditionFailure("not an interchange kind")
        }
    }

    mutating func runStart(_ members: [JSONMember]) throws(InterchangeError) -> RunStart {
        var event = RunStart()
        for member in members {
            guard let field = member.field else { continue }
            switch field {
            case .runID: event.runID = try string(member, field)
            case .host: event.host = try string(member, field)
            case .recorderVersion: event.recorderVersion = try string(member, field)
            case .labels: event.labels = try labels(member, field)
            default: break
            }
        }
        return event
    }

    mutating func queryStart(_ members: [JSONMember]) throws(InterchangeError) -> QueryStart {
        var event = QueryStart()
        for member in members {
            guard let field = member.field else { continue }
            switch field {
            case .queryID: event.queryID = try string(member, field)
            case .workloadType: event.workloadType = try string(member, field)
            case .text: event.text = try string(member, field)
            case .labels: event.labels = try labels(member, field)
            default: break
            }
        }
        return event
    }

    mutating func queryEnd(_ members: [JSONMember]) throws(InterchangeError) -> QueryEnd {
        var event = QueryEnd()
        for member in members {
            guard let field = member.field else { continue }
            switch field {
            case .queryID: event.queryID = try string(member, field)
            case .status: event.status = try string(member, field)
            case .response: event.response = try string(member, field)
            case .error: event.error = jsonText(member)
            case .resolved: event.resolved = try bool(member, field)
            case .score: event.score = try double(member, field)
            default: break
            }
        }
        return event
    }

    mutating func inferenceStart(_ members: [JSONMember]) throws(InterchangeError) -> InferenceStart {
        var event = InferenceStart()
        for member in members {
            guard let field = member.field else { continue }
            switch field {
            case .spanID: event.spanID = try string(member, field)
            case .queryID: event.queryID = try string(member, field)
            case .model: event.model = try string(member, field)
            default: break
            }
        }
        return event
    }

    mutating func inferenceEnd(_ members: [JSONMember]) throws(InterchangeError) -> InferenceEnd {
        var event = InferenceEnd()
        for member in members {
            guard let field = member.field else { continue }
            switch field {
            case .spanID: event.spanID = try string(member, field)
            case .queryID: event.queryID = try string(member, field)
            case .model: event.model = try string(member, field)
            case .routedModel: event.routedModel = try string(member, field)
            case .promptTokens: event.promptTokens = try integer(member, field)
            case .completionTokens: event.completionTokens = try integer(member, field)
            case .cachedTokens: event.cachedTokens = try integer(member, field)
            case .reasoningTokens: event.reasoningTokens = try integer(member, field)
            case .costUSD: event.costUSD = try double(member, field)
            case .ttftSeconds: event.timeToFirstTokenSeconds = try double(member, field)
            case .cached: event.cached = try bool(member, field)
            case .status: event.status = try string(member, field)
            case .error: event.error = jsonText(member)
            case .stopReason: event.stopReason = try string(member, field)
            case .provider: event.provider = try string(member, field)
            case .cacheWriteTokens: event.cacheWriteTokens = try integer(member, field)
            default: break
            }
        }
        return event
    }

    mutating func toolStart(_ members: [JSONMember]) throws(InterchangeError) -> ToolStart {
        var event = ToolStart()
        for member in members {
            guard let field = member.field else { continue }
            switch field {
            case .spanID: event.spanID = try string(member, field)
            case .queryID: event.queryID = try string(member, field)
            case .tool: event.tool = try string(member, field)
            case .parentSpanID: event.parentSpanID = try string(member, field)
            case .arguments: event.arguments = jsonText(member)
            default: break
            }
        }
        return event
    }

    mutating func toolEnd(_ members: [JSONMember]) throws(InterchangeError) -> ToolEnd {
        var event = ToolEnd()
        for member in members {
            guard let field = member.field else { continue }
            switch field {
            case .spanID: event.spanID = try string(member, field)
            case .queryID: event.queryID = try string(member, field)
            case .tool: event.tool = try string(member, field)
            case .ok: event.ok = try bool(member, field)
            case .error: event.error = jsonText(member)
            case .outputBytes: event.outputBytes = try integer(member, field)
            default: break
            }
        }
        return event
    }

    // Samples are nearly every line of a log's dump. Their fields are
    // gathered in locals and the sample is built once at the end, which
    // saves copying the whole struct (~200 bytes) per field assignment.
    @inline(__always)
    mutating func sample(_ members: [JSONMember]) throws(InterchangeError) -> TelemetrySample {
        var source: String?
        var gpuEnergyJoules: Double?, gpuPowerWatts: Double?
        var cpuEnergyJoules: Double?, cpuPowerWatts: Double?
        var dramEnergyJoules: Double?, dramPowerWatts: Double?
        var energyWrapJoules: Double?
        var gpuUtilizationPercent: Double?, cpuUtilizationPercent: Double?
        var memoryBytes: Double?, temperatureCelsius: Double?
        for member in members {
            guard let field = member.field else { continue }
            switch field {
            case .source: source = try string(member, field)
            case .gpuEnergyJoules: gpuEnergyJoules = try double(member, field)
            case .gpuPowerWatts: gpuPowerWatts = try double(member, field)
            case .cpuEnergyJoules: cpuEnergyJoules = try double(member, field)
            case .cpuPowerWatts: cpuPowerWatts = try double(member, field)
            case .dramEnergyJoules: dramEnergyJoules = try double(member, field)
            case .dramPowerWatts: dramPowerWatts = try double(member, field)
            case .energyWrapJoules: energyWrapJoules = try double(member, field)
            case .gpuUtilizationPercent: gpuUtilizationPercent = try double(member, field)
            case .cpuUtilizationPercent: cpuUtilizationPercent = try double(member, field)
            case .memoryBytes: memoryBytes = try double(member, field)
            case .temperatureCelsius: temperatureCelsius = try double(member, field)
            default: break
            }
        }
        return TelemetrySample(
            source: source, gpuEnergyJoules: gpuEnergyJoules, gpuPowerWatts: gpuPowerWatts,
            cpuEnergyJoules: cpuEnergyJoules, cpuPowerWatts: cpuPowerWatts, dramEnergyJoules: dramEnergyJoules,
            dramPowerWatts: dramPowerWatts, energyWrapJoules: energyWrapJoules,
            gpuUtilizationPercent: gpuUtilizationPercent, cpuUtilizationPercent: cpuUtilizationPercent,
            memoryBytes: memoryBytes, temperatureCelsius: temperatureCelsius)
    }

    mutating func mark(_ members: [JSONMember]) throws(InterchangeError) -> Mark {
        var event = Mark()
        for member in members {
            guard let field = member.field else { continue }
            switch field {
            case .name: event.name = try string(member, field)
            case .queryID: event.queryID = try string(member, field)
            case .spanID: event.spanID = try string(member, field)
            case .text: event.text = try string(member, field)
            default: break
            }
        }
        return event
    }
}
