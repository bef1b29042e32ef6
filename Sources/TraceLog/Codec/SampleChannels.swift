/// Prediction state of one telemetry value channel, a (source, field)
/// pair, within one segment of format version 2 (docs/FORMAT.md §3.1).
@usableFromInline
struct SampleChannelState {
    /// The last decimal-coded value of the channel as an integer `m` at
    /// ``scale`` (the value was `m / 10^scale`).
    @usableFromInline var last: Int64 = 0
    /// The IEEE 754 bit pattern of the channel's last value, however coded.
    @usableFromInline var bits: UInt64 = 0
    /// The channel's current decimal scale, 0 through ``SampleValueCoding/maxScale``.
    @usableFromInline var scale: Int = 0
    /// Encoder only: the last value was decimal-coded, so `last` at
    /// `scale` reproduces `bits` (true for a fresh channel: 0 at scale 0 is
    /// +0.0). A repeat of that value is then coded as a zero delta without
    /// any arithmetic.
    @usableFromInline var decimal: Bool = true
    /// Encoder only: a search for a decimal scale failed on a finite value,
    /// so later values that miss the current scale are written raw without
    /// searching again (the channel holds non-decimal readings).
    @usableFromInline var searchFailed: Bool = false

    @usableFromInline init() {}
}

/// Constants of the version-2 telemetry value coding.
public enum SampleValueCoding {
    /// Number of value fields in a sample (field numbers 2 through 12).
    public static let valueFields = 11
    /// The largest decimal scale a value can have.
    public static let maxScale = 15
    /// The scale code that marks a raw (XOR-coded) value.
    public static let rawCode: UInt64 = 16
    /// The largest integer magnitude a decimal-coded value may have (2^53),
    /// so that its conversion to a double is exact.
    public static let maxMagnitude: Double = 9_007_199_254_740_992

    /// `value` (|value| ≤ ``maxMagnitude``) rounded to a nearby integer:
    /// half away from zero, up to the rounding of `value ± 0.5`. Used
    /// instead of `rounded()`, which is a libm call (`rint`) on baseline
    /// x86-64; the encoder verifies every candidate, so a rare off-by-one
    /// only costs size, never exactness.
    @inlinable @inline(__always)
    public static func nearestInteger(_ value: Double) -> Int64 {
        Int64(value + (value < 0 ? -0.5 : 0.5))
    }

    /// 10^k for k = 0 … 15, each exactly representable as a double.
    @inlinable @inline(__always)
    public static func powerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        default: 1e15
        }
    }
}

/// The channels of the open segment, for the encoder: the sources seen so
/// far (by string-table index, or "no source") and, per source, the state
/// of its 11 value fields. Memory is kept across segments, so steady-state
/// appends allocate nothing.
///
/// Like ``RecordBuffer``, it is only ever used by one owner at a time (under
/// the recorder's lock).
@usableFromInline
final class SampleChannelTable {
    /// Source keys (string index + 1, or 0 for "no source"), `count` of them.
    @usableFromInline @exclusivity(unchecked) var sources: UnsafeMutablePointer<UInt64>
    /// `capacity × 11` channel states; source slot `s`, field bit `f` is at `s * 11 + f`.
    @usableFromInline @exclusivity(unchecked) var states: UnsafeMutablePointer<SampleChannelState>
    @usableFromInline @exclusivity(unchecked) var count: Int
    @usableFromInline @exclusivity(unchecked) var capacity: Int
    /// The slot found last, checked first.
    @usableFromInline @exclusivity(unchecked) var lastSlot: Int

    @usableFromInline init() {
        capacity = 8
        count = 0
        lastSlot = 0
        sources = .allocate(capacity: capacity)
        states = .allocate(capacity: capacity * SampleValueCoding.valueFields)
    }

    deinit {
        sources.deallocate()
        states.deallocate()
    }

    /// Forgets every channel (a new segment starts).
    @usableFromInline func removeAll() {
        count = 0
        lastSlot = 0
    }

    /// The first of the 11 channel states of source `key`, created fresh
    /// when the source is new in this segment.
    @inlinable @inline(__always)
    func channels(of key: UInt64) -> UnsafeMutablePointer<SampleChannelState> {
        if lastSlot < count && sources[lastSlot] == key {
            return states + lastSlot * SampleValueCoding.valueFields
        }
        return channelsSlow(of: key)
    }

    @usableFromInline func channelsSlow(of key: UInt64) -> UnsafeMutablePointer<SampleChannelState> {
        for slot in 0..<count where sources[slot] == key {
            lastSlot = slot
            return states + slot * SampleValueCoding.valueFields
        }
        if count == capacity { grow() }
        let slot = count
        count += 1
        sources[slot] = key
        (states + slot * SampleValueCoding.valueFields).initialize(
            repeating: SampleChannelState(), count: SampleValueCoding.valueFields)
        lastSlot = slot
        return states + slot * SampleValueCoding.valueFields
    }

    func grow() {
        let newCapacity = capacity * 2
        let newSources = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        newSources.initialize(from: sources, count: count)
        let newStates = UnsafeMutablePointer<SampleChannelState>.allocate(
            capacity: newCapacity * SampleValueCoding.valueFields)
        newStates.initialize(from: states, count: count * SampleValueCoding.valueFields)
        sources.deallocate()
        states.deallocate()
        sources = newSources
        states = newStates
        capacity = newCapacity
    }
}

extension SampleChannelTable: @unchecked Sendable {}
