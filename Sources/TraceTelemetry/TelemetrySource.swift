import TraceLog

/// Something that reads raw telemetry: RAPL energy counters, NVML GPU
/// counters, `/proc` gauges, or a synthetic model.
///
/// A source is opened once (its initialiser finds its devices and throws
/// ``TelemetryUnavailable`` when it has none it can read), then read by one
/// thread, the ``TelemetrySampler``'s, at the sampling rate. Each read
/// returns raw values, as the hardware reports them: counters are not
/// unwrapped and nothing is averaged; that is the analyser's job.
public protocol TelemetrySource: Sendable {
    /// A short name for messages: `rapl`, `nvml`, `proc`, `synthetic`.
    var kind: String { get }
    /// Facts about the source's devices (GPU UUIDs, RAPL zone paths), for the
    /// run's labels, e.g. `gpu0.uuid=GPU-…`.
    var labels: [Label] { get }
    /// Problems met while opening the source that did not stop it (a zone
    /// that could not be read, …), in words, for the user.
    var warnings: [String] { get }
    /// Reads every device of the source once.
    ///
    /// - Parameter monotonicNanoseconds: the time of the reading on the
    ///   monotonic clock, for sources that model time (the synthetic one).
    /// - Returns: one sample per device; empty when nothing could be read.
    mutating func read(at monotonicNanoseconds: Int64) -> [TelemetrySample]
}

extension TelemetrySource {
    /// No labels by default.
    public var labels: [Label] { [] }
    /// No warnings by default.
    public var warnings: [String] { [] }
}
