#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few NVML entry points the GPU source uses, resolved with `dlopen` and
/// `dlsym` at run time, so the program neither links against NVML nor needs
/// it to start.
final class NVMLLibrary: Sendable {
    typealias Device = OpaquePointer
    typealias InitFunction = @convention(c) () -> Int32
    typealias CountFunction = @convention(c) (UnsafeMutablePointer<UInt32>) -> Int32
    typealias HandleFunction = @convention(c) (UInt32, UnsafeMutablePointer<Device?>) -> Int32
    typealias TextFunction = @convention(c) (Device?, UnsafeMutablePointer<CChar>, UInt32) -> Int32
    typealias EnergyFunction = @convention(c) (Device?, UnsafeMutablePointer<UInt64>) -> Int32
    typealias PowerFunction = @convention(c) (Device?, UnsafeMutablePointer<UInt32>) -> Int32
    typealias ErrorStringFunction = @convention(c) (Int32) -> UnsafePointer<CChar>?

    let initialize: InitFunction
    let shutdown: InitFunction
    let deviceCount: CountFunction
    let handleByIndex: HandleFunction
    let uuid: TextFunction
    let name: TextFunction
    let totalEnergy: EnergyFunction
    let powerUsage: PowerFunction
    let errorString: ErrorStringFunction?
    /// The `dlopen` handle, kept as a bit pattern so the type is `Sendable`.
    private let handle: UInt

    /// Opens `libraryName` and resolves the entry points.
    init(libraryName: String) throws(TelemetryUnavailable) {
        guard let handle = dlopen(libraryName, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw TelemetryUnavailable(
                source: "nvml",
                message: "cannot load \(libraryName) (\(reason)); no NVIDIA driver on this machine, "
                    + "so no GPU energy is recorded (install the NVIDIA driver, or choose other sources with --source)")
        }
        func symbol<T>(_ name: String, as type: T.Type) throws(TelemetryUnavailable) -> T {
            guard let pointer = dlsym(handle, name) else {
                dlclose(handle)
                throw TelemetryUnavailable(
                    source: "nvml", message: "\(libraryName) has no \(name); the NVIDIA driver is too old for energy counters")
            }
            return unsafeBitCast(pointer, to: type)
        }
        initialize = try symbol("nvmlInit_v2", as: InitFunction.self)
        shutdown = try symbol("nvmlShutdown", as: InitFunction.self)
        deviceCount = try symbol("nvmlDeviceGetCount_v2", as: CountFunction.self)
        handleByIndex = try symbol("nvmlDeviceGetHandleByIndex_v2", as: HandleFunction.self)
        uuid = try symbol("nvmlDeviceGetUUID", as: TextFunction.self)
        name = try symbol("nvmlDeviceGetName", as: TextFunction.self)
        totalEnergy = try symbol("nvmlDeviceGetTotalEnergyConsumption", as: EnergyFunction.self)
        powerUsage = try symbol("nvmlDeviceGetPowerUsage", as: PowerFunction.self)
        errorString = dlsym(handle, "nvmlErrorString").map { unsafeBitCast($0, to: ErrorStringFunction.self) }
        self.handle = UInt(bitPattern: handle)
    }

    /// NVML's words for a return code.
    func describe(_ code: Int32) -> String {
        if let text = errorString?(code) { return String(cString: text) + " (\(code))" }
        return "NVML error \(code)"
    }

    /// Reads a text property (UUID, name) of a device.
    func text(_ function: TextFunction, _ device: Device?) -> String? {
        var buffer = [CChar](repeating: 0, count: 96)
        let code = buffer.withUnsafeMutableBufferPointer { function(device, $0.baseAddress!, UInt32($0.count)) }
        guard code == 0 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit {
        _ = shutdown()
        if let pointer = UnsafeMutableRawPointer(bitPattern: handle) { dlclose(pointer) }
    }
}
