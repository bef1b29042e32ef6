/// The energy fields of one telemetry sample, without its source name or
/// its other readings: what an energy analysis reads of a sample, decoded
/// with no allocation and no reference counting (see
/// ``SegmentDecoder/decodeEnergy(_:samplesOnly:segment:visit:sourceID:visitEnergy:)``).
///
/// Field `i` is present when bit `i` of ``present`` is set; an absent
/// field's value is unspecified. Fields, in the order of the sample's value
/// fields (docs/FORMAT.md §3): GPU energy (J), GPU power (W), CPU energy,
/// CPU power, DRAM energy, DRAM power, energy wrap range (J).
@frozen
package struct EnergyFields: Sendable {
    /// The number of fields.
    package static let count = 7
    /// The mask of all fields.
    package static let all: UInt64 = (1 << 7) - 1

    /// Which fields are present.
    @usableFromInline package var present: UInt16 = 0
    @usableFromInline package var gpuEnergy = 0.0
    @usableFromInline package var gpuPower = 0.0
    @usableFromInline package var cpuEnergy = 0.0
    @usableFromInline package var cpuPower = 0.0
    @usableFromInline package var dramEnergy = 0.0
    @usableFromInline package var dramPower = 0.0
    @usableFromInline package var wrap = 0.0

    package init() {}

    /// The energy fields of a sample.
    package init(_ s: TelemetrySample) {
        func take(_ value: Double?, _ i: Int) {
            guard let value else { return }
            present |= 1 << UInt16(i)
            self[i] = value
        }
        take(s.gpuEnergyJoules, 0)
        take(s.gpuPowerWatts, 1)
        take(s.cpuEnergyJoules, 2)
        take(s.cpuPowerWatts, 3)
        take(s.dramEnergyJoules, 4)
        take(s.dramPowerWatts, 5)
        take(s.energyWrapJoules, 6)
    }

    /// Field `i` when present.
    @inlinable @inline(__always)
    package func value(_ i: Int) -> Double? { present & 1 << UInt16(i) != 0 ? self[i] : nil }

    /// Field `i`'s stored value.
    @inlinable
    package subscript(i: Int) -> Double {
        @inline(__always) get {
            switch i {
            case 0: gpuEnergy
            case 1: gpuPower
            case 2: cpuEnergy
            case 3: cpuPower
            case 4: dramEnergy
            case 5: dramPower
            default: wrap
            }
        }
        @inline(__always) set {
            switch i {
            case 0: gpuEnergy = newValue
            case 1: gpuPower = newValue
            case 2: cpuEnergy = newValue
            case 3: cpuPower = newValue
            case 4: dramEnergy = newValue
            case 5: dramPower = newValue
            default: wrap = newValue
            }
        }
    }

    /// Whether any field of energy domain `d` (0 gpu, 1 cpu, 2 dram) is present.
    @inlinable @inline(__always)
    package func hasDomain(_ d: Int) -> Bool { present & (3 << UInt16(2 * d)) != 0 }
}
