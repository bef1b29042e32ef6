/// Something uncertain about an energy figure.
///
/// Flags travel with every attributed value; the default metric set prints
/// them prefixed with their domain (`gpu:counter_reset`).
public enum EnergyFlag: String, Sendable, Hashable, CaseIterable, Comparable {
    /// No telemetry of the domain covers any part of the window: the energy
    /// is unknown (null).
    case noSamples = "no_samples"
    /// Part of the window lies outside the time covered by a source's samples;
    /// that part contributed nothing.
    case partialCoverage = "partial_coverage"
    /// The window is shorter than the source's sampling interval, so its
    /// energy rests on interpolation inside one interval.
    case shorterThanSamplingInterval = "shorter_than_sampling_interval"
    /// An inference or tool span of the turn is shorter than the sampling
    /// interval.
    case partShorterThanSamplingInterval = "part_shorter_than_sampling_interval"
    /// The window overlaps an interval between samples longer than the gap
    /// threshold (N nominal sampling periods).
    case longGapInterpolated = "long_gap_interpolated"
    /// A counter went backwards without a declared wrap range inside the
    /// window; that interval's energy was estimated from power or lost.
    case counterReset = "counter_reset"
    /// Energy was integrated from power readings (no usable counter).
    case powerIntegrated = "power_integrated"
    /// The window shared energy with other queries running at the same time.
    case concurrentQueries = "concurrent_queries"
    /// The window is shorter than the update period of a source's energy
    /// counter: no counter update may fall inside it, so its energy is
    /// reconstructed, not measured (version 3 of the `default` set).
    case shorterThanSensorUpdate = "shorter_than_sensor_update"
    /// Most of the window's energy lies in counter update intervals that
    /// the window only partly covers, so its split rests on the power model
    /// more than on counter readings (version 3 of the `default` set).
    case mostlyReconstructed = "mostly_reconstructed"
    /// The telemetry of another host looks shifted against the run's spans
    /// by more than a sampling period, and no `--clock-offset` was given
    /// for it (version 3 of the `default` set).
    case clockOffsetSuspected = "clock_offset_suspected"
    /// The logs measured the clock of another host whose telemetry the run
    /// uses (a clock handshake) more than a sampling period from the run's,
    /// and the measured offset was applied (version 3 of the `default` set).
    case clockOffsetMeasured = "clock_offset_measured"

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// Orders flags by declaration order, which is also their output order.
    public static func < (lhs: EnergyFlag, rhs: EnergyFlag) -> Bool { lhs.order < rhs.order }
}

/// A set of ``EnergyFlag``s with a stable order.
public struct EnergyFlags: Sendable, Hashable {
    private var bits: UInt16 = 0

    /// An empty set.
    public init() {}

    /// A set holding the given flags.
    public init(_ flags: [EnergyFlag]) {
        for flag in flags { insert(flag) }
    }

    private static func bit(_ flag: EnergyFlag) -> UInt16 {
        1 << UInt16(EnergyFlag.allCases.firstIndex(of: flag) ?? 0)
    }

    /// Adds a flag.
    public mutating func insert(_ flag: EnergyFlag) { bits |= Self.bit(flag) }

    /// The set without one flag.
    public func subtracting(_ flag: EnergyFlag) -> EnergyFlags {
        var copy = self
        copy.bits &= ~Self.bit(flag)
        return copy
    }

    /// Adds every flag of another set.
    public mutating func formUnion(_ other: EnergyFlags) { bits |= other.bits }

    /// Whether the set holds a flag.
    public func contains(_ flag: EnergyFlag) -> Bool { bits & Self.bit(flag) != 0 }

    /// Whether the set is empty.
    public var isEmpty: Bool { bits == 0 }

    /// The flags, in declaration order.
    public var sorted: [EnergyFlag] { EnergyFlag.allCases.filter(contains) }
}
