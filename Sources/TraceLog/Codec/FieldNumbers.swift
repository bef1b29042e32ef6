/// Field numbers of each record kind (docs/FORMAT.md). Numbers are never
/// reused; new fields get new numbers, and readers skip numbers they do not
/// know.
public enum FieldNumber {
    /// Fields of ``RunStart``.
    public enum RunStart {
        public static let runID: UInt64 = 1
        public static let host: UInt64 = 2
        public static let recorderVersion: UInt64 = 3
        public static let label: UInt64 = 4
    }
    /// Fields of ``QueryStart``.
    public enum QueryStart {
        public static let queryID: UInt64 = 1
        public static let workloadType: UInt64 = 2
        public static let text: UInt64 = 3
        public static let label: UInt64 = 4
    }
    /// Fields of ``QueryEnd``.
    public enum QueryEnd {
        public static let queryID: UInt64 = 1
        public static let status: UInt64 = 2
        public static let response: UInt64 = 3
        public static let error: UInt64 = 4
        public static let resolved: UInt64 = 5
        public static let score: UInt64 = 6
    }
    /// Fields of ``InferenceStart``.
    public enum InferenceStart {
        public static let spanID: UInt64 = 1
        public static let queryID: UInt64 = 2
        public static let model: UInt64 = 3
    }
    /// Fields of ``InferenceEnd``.
    public enum InferenceEnd {
        public static let spanID: UInt64 = 1
        public static let queryID: UInt64 = 2
        public static let model: UInt64 = 3
        public static let routedModel: UInt64 = 4
        public static let promptTokens: UInt64 = 5
        public static let completionTokens: UInt64 = 6
        public static let cachedTokens: UInt64 = 7
        public static let reasoningTokens: UInt64 = 8
        public static let costUSD: UInt64 = 9
        public static let timeToFirstToken: UInt64 = 10
        public static let cached: UInt64 = 11
        public static let status: UInt64 = 12
        public static let error: UInt64 = 13
        public static let stopReason: UInt64 = 14
    }
    /// Fields of ``ToolStart``.
    public enum ToolStart {
        public static let spanID: UInt64 = 1
        public static let queryID: UInt64 = 2
        public static let tool: UInt64 = 3
        public static let parentSpanID: UInt64 = 4
        public static let arguments: UInt64 = 5
    }
    /// Fields of ``ToolEnd``.
    public enum ToolEnd {
        public static let spanID: UInt64 = 1
        public static let queryID: UInt64 = 2
        public static let tool: UInt64 = 3
        public static let ok: UInt64 = 4
        public static let error: UInt64 = 5
        public static let outputBytes: UInt64 = 6
    }
    /// Fields of ``TelemetrySample``.
    public enum Sample {
        public static let source: UInt64 = 1
        public static let gpuEnergy: UInt64 = 2
        public static let gpuPower: UInt64 = 3
        public static let cpuEnergy: UInt64 = 4
        public static let cpuPower: UInt64 = 5
        public static let dramEnergy: UInt64 = 6
        public static let dramPower: UInt64 = 7
        public static let energyWrap: UInt64 = 8
        public static let gpuUtilization: UInt64 = 9
        public static let cpuUtilization: UInt64 = 10
        public static let memory: UInt64 = 11
        public static let temperature: UInt64 = 12
    }
    /// Fields of ``Mark``.
    public enum Mark {
        public static let name: UInt64 = 1
        public static let queryID: UInt64 = 2
        public static let spanID: UInt64 = 3
        public static let text: UInt64 = 4
    }
}
