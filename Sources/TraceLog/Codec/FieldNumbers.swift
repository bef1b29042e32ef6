/// Field numbers of each record kind (docs/FORMAT.md). Numbers are never
/// reused; new fields get new numbers, and readers skip numbers they do not
/// know.
@usableFromInline package enum FieldNumber {
    /// The sending process's id (varint), allowed in every event body but a
    /// version-2 sample's: written by `trace-record` for events from its
    /// socket (docs/FORMAT.md §4).
    @usableFromInline package static let senderPID: UInt64 = 31
    /// Fields of ``RunStart``.
    @usableFromInline package enum RunStart {
        @usableFromInline package static let runID: UInt64 = 1
        @usableFromInline package static let host: UInt64 = 2
        @usableFromInline package static let recorderVersion: UInt64 = 3
        @usableFromInline package static let label: UInt64 = 4
    }
    /// Fields of ``QueryStart``.
    @usableFromInline package enum QueryStart {
        @usableFromInline package static let queryID: UInt64 = 1
        @usableFromInline package static let workloadType: UInt64 = 2
        @usableFromInline package static let text: UInt64 = 3
        @usableFromInline package static let label: UInt64 = 4
    }
    /// Fields of ``QueryEnd``.
    @usableFromInline package enum QueryEnd {
        @usableFromInline package static let queryID: UInt64 = 1
        @usableFromInline package static let status: UInt64 = 2
        @usableFromInline package static let response: UInt64 = 3
        @usableFromInline package static let error: UInt64 = 4
        @usableFromInline package static let resolved: UInt64 = 5
        @usableFromInline package static let score: UInt64 = 6
    }
    /// Fields of ``InferenceStart``.
    @usableFromInline package enum InferenceStart {
        @usableFromInline package static let spanID: UInt64 = 1
        @usableFromInline package static let queryID: UInt64 = 2
        @usableFromInline package static let model: UInt64 = 3
    }
    /// Fields of ``InferenceEnd``.
    @usableFromInline package enum InferenceEnd {
        @usableFromInline package static let spanID: UInt64 = 1
        @usableFromInline package static let queryID: UInt64 = 2
        @usableFromInline package static let model: UInt64 = 3
        @usableFromInline package static let routedModel: UInt64 = 4
        @usableFromInline package static let promptTokens: UInt64 = 5
        @usableFromInline package static let completionTokens: UInt64 = 6
        @usableFromInline package static let cachedTokens: UInt64 = 7
        @usableFromInline package static let reasoningTokens: UInt64 = 8
        @usableFromInline package static let costUSD: UInt64 = 9
        @usableFromInline package static let timeToFirstToken: UInt64 = 10
        @usableFromInline package static let cached: UInt64 = 11
        @usableFromInline package static let status: UInt64 = 12
        @usableFromInline package static let error: UInt64 = 13
        @usableFromInline package static let stopReason: UInt64 = 14
        @usableFromInline package static let provider: UInt64 = 15
        @usableFromInline package static let cacheWriteTokens: UInt64 = 16
    }
    /// Fields of ``ToolStart``.
    @usableFromInline package enum ToolStart {
        @usableFromInline package static let spanID: UInt64 = 1
        @usableFromInline package static let queryID: UInt64 = 2
        @usableFromInline package static let tool: UInt64 = 3
        @usableFromInline package static let parentSpanID: UInt64 = 4
        @usableFromInline package static let arguments: UInt64 = 5
    }
    /// Fields of ``ToolEnd``.
    @usableFromInline package enum ToolEnd {
        @usableFromInline package static let spanID: UInt64 = 1
        @usableFromInline package static let queryID: UInt64 = 2
        @usableFromInline package static let tool: UInt64 = 3
        @usableFromInline package static let ok: UInt64 = 4
        @usableFromInline package static let error: UInt64 = 5
        @usableFromInline package static let outputBytes: UInt64 = 6
    }
    /// Fields of ``TelemetrySample``.
    @usableFromInline package enum Sample {
        @usableFromInline package static let source: UInt64 = 1
        @usableFromInline package static let gpuEnergy: UInt64 = 2
        @usableFromInline package static let gpuPower: UInt64 = 3
        @usableFromInline package static let cpuEnergy: UInt64 = 4
        @usableFromInline package static let cpuPower: UInt64 = 5
        @usableFromInline package static let dramEnergy: UInt64 = 6
        @usableFromInline package static let dramPower: UInt64 = 7
        @usableFromInline package static let energyWrap: UInt64 = 8
        @usableFromInline package static let gpuUtilization: UInt64 = 9
        @usableFromInline package static let cpuUtilization: UInt64 = 10
        @usableFromInline package static let memory: UInt64 = 11
        @usableFromInline package static let temperature: UInt64 = 12
    }
    /// Fields of ``Mark``.
    @usableFromInline package enum Mark {
        @usableFromInline package static let name: UInt64 = 1
        @usableFromInline package static let queryID: UInt64 = 2
        @usableFromInline package static let spanID: UInt64 = 3
        @usableFromInline package static let text: UInt64 = 4
    }
}
