#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TraceLog

/// Energy and power of NVIDIA GPUs, read through NVML loaded at run time
/// (`dlopen("libnvidia-ml.so.1")`): no build-time dependency, and a machine
/// without the driver gets a clear message instead of a crash.
///
/// Each read gives one sample per GPU, source `gpu0`, `gpu1`, … with
/// `nvmlDeviceGetTotalEnergyConsumption` (millijoules since the driver
/// loaded, converted to joules) and power in watts: the instant power field
/// (`NVML_FI_DEV_POWER_INSTANT` through `nvmlDeviceGetFieldValues`) where
/// the driver has it, else `nvmlDeviceGetPowerUsage`, which is a one-second
/// mean on Ampere and later parts and is declared `average`.
///
/// ``labels`` describe each GPU for the run start (`trace-record` writes
/// them), and what the analysis's sensor model reads:
/// `gpuN.index`, `gpuN.uuid`, `gpuN.name`, `gpuN.driver`, `gpuN.power`
/// (`instant` or `average`: what the power readings are) and
/// `gpuN.energy_update_ms` (the counter's update period, measured when the
/// source opens by polling the counter; absent when it could not be seen).
public struct NVMLSource: TelemetrySource {
    /// The library loaded by default.
    public static let defaultLibrary = "libnvidia-ml.so.1"

    /// What a GPU's power readings are.
    public enum PowerReading: String, Sendable, Equatable {
        /// The instant power field.
        case instant
        /// `nvmlDeviceGetPowerUsage`, averaged over a second on recent parts.
        case average
    }

    /// One GPU.
    public struct GPU: Sendable, Equatable {
        /// NVML's device index.
        public var index: Int
        /// The device UUID (`GPU-…`), when NVML gave one.
        public var uuid: String?
        /// The product name, when NVML gave one.
        public var name: String?
        /// The driver's version, when NVML gave one.
        public var driver: String?
        /// What the power readings are.
        public var power: PowerReading = .average
        /// The energy counter's update period in milliseconds, as measured
        /// when the source opened; nil when not measured or not seen.
        public var energyUpdateMilliseconds: Double?
        /// The source name written in samples: `gpu<index>`.
        public var source: String { "gpu\(index)" }
    }

    /// The GPUs found.
    public let gpus: [GPU]
    /// See ``TelemetrySource/warnings``.
    public let warnings: [String]
    private let library: NVMLLibrary
    private let handles: [UInt]

    /// `nvml`.
    public var kind: String { "nvml" }

    /// `gpuN.index`, `gpuN.uuid`, `gpuN.name`, `gpuN.driver`, `gpuN.power`
    /// and `gpuN.energy_update_ms` for every GPU (each where known).
    public var labels: [Label] {
        gpus.flatMap { gpu in
            var labels = [Label("\(gpu.source).index", String(gpu.index))]
            if let uuid = gpu.uuid { labels.append(Label("\(gpu.source).uuid", uuid)) }
            if let name = gpu.name { labels.append(Label("\(gpu.source).name", name)) }
            if let driver = gpu.driver { labels.append(Label("\(gpu.source).driver", driver)) }
            labels.append(Label("\(gpu.source).power", gpu.power.rawValue))
            if let period = gpu.energyUpdateMilliseconds {
                labels.append(Label("\(gpu.source).energy_update_ms", Self.tenths(period)))
            }
            return labels
        }
    }

    /// Loads NVML from `libraryName` and finds the GPUs.
    ///
    /// - Parameters:
    ///   - libraryName: the library to load.
    ///   - updatePeriodProbeMilliseconds: how long at most to poll the energy
    ///     counters (every millisecond) to measure their update period; 0
    ///     measures nothing.
    /// - Throws: ``TelemetryUnavailable`` when the library cannot be loaded,
    ///   does not initialise, or sees no GPU.
    public init(libraryName: String = NVMLSource.defaultLibrary, updatePeriodProbeMilliseconds: Int = 500)
        throws(TelemetryUnavailable)
    {
        let library = try NVMLLibrary(libraryName: libraryName)
        let status = library.initialize()
        guard status == 0 else {
            throw TelemetryUnavailable(
                source: "nvml", message: "nvmlInit failed: \(library.describe(status)); is the NVIDIA driver loaded?")
        }
        var count: UInt32 = 0
        let countStatus = library.deviceCount(&count)
        guard countStatus == 0, count > 0 else {
            throw TelemetryUnavailable(
                source: "nvml",
                message: countStatus == 0 ? "NVML sees no GPU" : "nvmlDeviceGetCount failed: \(library.describe(countStatus))")
        }
        let driver = library.driver()
        var gpus: [GPU] = []
        var handles: [UInt] = []
        var counters: [Int] = []
        var warnings: [String] = []
        for index in 0..<count {
            var device: OpaquePointer?
            let code = library.handleByIndex(index, &device)
            guard code == 0, let device else {
                warnings.append("gpu\(index): nvmlDeviceGetHandleByIndex failed: \(library.describe(code)); left out")
                continue
            }
            var energy: UInt64 = 0
            let energyCode = library.totalEnergy(device, &energy)
            if energyCode != 0 {
                warnings.append(
                    "gpu\(index): no energy counter (\(library.describe(energyCode))); only power is recorded (needs Volta or newer)")
            } else {
                counters.append(gpus.count)
            }
            let instant = library.field(NVMLLibrary.FieldValue.powerInstant, device) != nil
            gpus.append(GPU(index: Int(index), uuid: library.text(library.uuid, device), name: library.text(library.name, device),
                            driver: driver, power: instant ? .instant : .average))
            handles.append(UInt(bitPattern: device))
        }
        guard !gpus.isEmpty else {
            throw TelemetryUnavailable(source: "nvml", message: "no GPU could be opened: \(warnings.joined(separator: "; "))")
        }
        if updatePeriodProbeMilliseconds > 0, !counters.isEmpty {
            let periods = Self.probeUpdatePeriods(
                library: library, devices: counters.map { OpaquePointer(bitPattern: handles[$0]) },
                milliseconds: updatePeriodProbeMilliseconds)
            for (slot, period) in zip(counters, periods) { gpus[slot].energyUpdateMilliseconds = period }
        }
        self.library = library
        self.gpus = gpus
        self.handles = handles
        self.warnings = warnings
    }

    /// Reads energy and power of every GPU; a value NVML does not give is absent.
    public mutating func read(at monotonicNanoseconds: Int64) -> [TelemetrySample] {
        var samples: [TelemetrySample] = []
        samples.reserveCapacity(gpus.count)
        for (gpu, bits) in zip(gpus, handles) {
            let device = OpaquePointer(bitPattern: bits)
            var sample = TelemetrySample(source: gpu.source)
            var millijoules: UInt64 = 0
            if library.totalEnergy(device, &millijoules) == 0 { sample.gpuEnergyJoules = Double(millijoules) / 1000 }
            switch gpu.power {
            case .instant:
                // A failed read leaves power absent rather than mixing in an
                // averaged reading.
                if let milliwatts = library.field(NVMLLibrary.FieldValue.powerInstant, device) {
                    sample.gpuPowerWatts = Double(milliwatts) / 1000
                }
            case .average:
                var milliwatts: UInt32 = 0
                if library.powerUsage(device, &milliwatts) == 0 { sample.gpuPowerWatts = Double(milliwatts) / 1000 }
            }
            samples.append(sample)
        }
        return samples
    }

    /// Polls each counter every millisecond for at most `milliseconds` (or
    /// until every counter has changed 9 times) and gives each the median
    /// time between its changes, in milliseconds: nil for a counter that
    /// changed fewer than 4 times, or whose median is within three polls
    /// (it advances at every read, as good as continuous).
    static func probeUpdatePeriods(library: NVMLLibrary, devices: [OpaquePointer?], milliseconds: Int) -> [Double?] {
        var last = [UInt64?](repeating: nil, count: devices.count)
        var changes = [[Int64]](repeating: [], count: devices.count)
        var polls = 0
        let start = monotonicNanoseconds()
        let deadline = start + Int64(milliseconds) * 1_000_000
        while monotonicNanoseconds() < deadline, changes.contains(where: { $0.count < 9 }) {
            for (slot, device) in devices.enumerated() {
                var value: UInt64 = 0
                guard library.totalEnergy(device, &value) == 0 else { continue }
                let now = monotonicNanoseconds()
                if let previous = last[slot], value != previous { changes[slot].append(now) }
                last[slot] = value
            }
            polls += 1
            var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
            nanosleep(&pause, nil)
        }
        let pollNanoseconds = polls > 0 ? Double(monotonicNanoseconds() - start) / Double(polls) : 1e6
        return changes.map { times in
            guard times.count >= 4 else { return nil }
            let gaps = zip(times.dropFirst(), times).map { Double($0 - $1) }.sorted()
            let median = gaps[gaps.count / 2]
            guard median > 3 * pollNanoseconds else { return nil }
            return median / 1e6
        }
    }

    /// The monotonic clock, nanoseconds.
    private static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// Milliseconds with one decimal (`100.2`), as the run start writes them.
    static func tenths(_ milliseconds: Double) -> String {
        let tenths = Int((milliseconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
