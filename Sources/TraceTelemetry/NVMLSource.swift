import TraceLog

/// Energy and power of NVIDIA GPUs, read through NVML loaded at run time
/// (`dlopen("libnvidia-ml.so.1")`): no build-time dependency, and a machine
/// without the driver gets a clear message instead of a crash.
///
/// Each read gives one sample per GPU, source `gpu0`, `gpu1`, … with
/// `nvmlDeviceGetTotalEnergyConsumption` (millijoules since the driver
/// loaded, converted to joules) and `nvmlDeviceGetPowerUsage` (milliwatts,
/// converted to watts). Each GPU's index, name and UUID are in ``labels``
/// (`gpu0.uuid=GPU-…`), which `trace-record` writes into the run start.
public struct NVMLSource: TelemetrySource {
    /// The library loaded by default.
    public static let defaultLibrary = "libnvidia-ml.so.1"

    /// One GPU.
    public struct GPU: Sendable, Equatable {
        /// NVML's device index.
        public var index: Int
        /// The device UUID (`GPU-…`), when NVML gave one.
        public var uuid: String?
        /// The product name, when NVML gave one.
        public var name: String?
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

    /// `gpuN.uuid`, `gpuN.name` and `gpuN.index` for every GPU.
    public var labels: [Label] {
        gpus.flatMap { gpu in
            [Label("\(gpu.source).index", String(gpu.index))]
                + (gpu.uuid.map { [Label("\(gpu.source).uuid", $0)] } ?? [])
                + (gpu.name.map { [Label("\(gpu.source).name", $0)] } ?? [])
        }
    }

    /// Loads NVML from `libraryName` and finds the GPUs.
    ///
    /// - Throws: ``TelemetryUnavailable`` when the library cannot be loaded,
    ///   does not initialise, or sees no GPU.
    public init(libraryName: String = NVMLSource.defaultLibrary) throws(TelemetryUnavailable) {
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
        var gpus: [GPU] = []
        var handles: [UInt] = []
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
            }
            gpus.append(GPU(index: Int(index), uuid: library.text(library.uuid, device), name: library.text(library.name, device)))
            handles.append(UInt(bitPattern: device))
        }
        guard !gpus.isEmpty else {
            throw TelemetryUnavailable(source: "nvml", message: "no GPU could be opened: \(warnings.joined(separator: "; "))")
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
            var milliwatts: UInt32 = 0
            if library.powerUsage(device, &milliwatts) == 0 { sample.gpuPowerWatts = Double(milliwatts) / 1000 }
            samples.append(sample)
        }
        return samples
    }
}
