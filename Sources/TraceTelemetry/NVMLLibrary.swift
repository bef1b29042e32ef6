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
    typealias DriverVersionFunction = @convention(c) (UnsafeMutablePointer<CChar>, UInt32) -> Int32
    /// `nvmlDeviceGetFieldValues(device, count, nvmlFieldValue_t *values)`;
    /// the values are handled as raw bytes (``FieldValue``).
    typealias FieldValuesFunction = @convention(c) (Device?, Int32, UnsafeMutableRawPointer) -> Int32

    let initialize: InitFunction
    let shutdown: InitFunction
    let deviceCount: CountFunction
    let handleByIndex: HandleFunction
    let uuid: TextFunction
    let name: TextFunction
    let totalEnergy: EnergyFunction
    let powerUsage: PowerFunction
    let errorString: ErrorStringFunction?
    /// `nvmlSystemGetDriverVersion`, where the library has it.
    let driverVersion: DriverVersionFunction?
    /// `nvmlDeviceGetFieldValues`, where the library has it (drivers from
    /// 2017 on; the power fields from 2023 on).
    let fieldValues: FieldValuesFunction?
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
        driverVersion = dlsym(handle, "nvmlSystemGetDriverVersion").map { unsafeBitCast($0, to: DriverVersionFunction.self) }
        fieldValues = dlsym(handle, "nvmlDeviceGetFieldValues").map { unsafeBitCast($0, to: FieldValuesFunction.self) }
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

    /// The driver's version (`555.42.06`), when the library says.
    func driver() -> String? {
        guard let driverVersion else { return nil }
        var buffer = [CChar](repeating: 0, count: 96)
        let code = buffer.withUnsafeMutableBufferPointer { driverVersion($0.baseAddress!, UInt32($0.count - 1)) }
        guard code == 0 else { return nil }
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return text.isEmpty ? nil : text
    }

    /// Reads one field of a device, in milliwatts for the power fields:
    /// nil when the library has no field values, the call or the field
    /// fails, or the value is not an unsigned integer.
    func field(_ id: UInt32, _ device: Device?) -> UInt64? {
        guard let fieldValues else { return nil }
        return withUnsafeTemporaryAllocation(byteCount: FieldValue.size, alignment: 8) { buffer -> UInt64? in
            let raw = buffer.baseAddress!
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: FieldValue.size)
            raw.storeBytes(of: id, toByteOffset: FieldValue.fieldID, as: UInt32.self)
            guard fieldValues(device, 1, raw) == 0,
                  raw.load(fromByteOffset: FieldValue.returnCode, as: Int32.self) == 0 else { return nil }
            switch raw.load(fromByteOffset: FieldValue.valueType, as: Int32.self) {
            case FieldValue.unsignedInt: return UInt64(raw.load(fromByteOffset: FieldValue.value, as: UInt32.self))
            case FieldValue.unsignedLong, FieldValue.unsignedLongLong: return raw.load(fromByteOffset: FieldValue.value, as: UInt64.self)
            default: return nil
            }
        }
    }

    /// The layout of NVML's `nvmlFieldValue_t` (nvml.h): `unsigned int
    /// fieldId, scopeId; long long timestamp, latencyUsec; nvmlValueType_t
    /// valueType; nvmlReturn_t nvmlReturn; nvmlValue_t value` (a union of
    /// 8 bytes), 40 bytes in all.
    enum FieldValue {
        static let size = 40
        static let fieldID = 0
        static let valueType = 24
        static let returnCode = 28
        static let value = 32
        static let unsignedInt: Int32 = 1
        static let unsignedLong: Int32 = 2
        static let unsignedLongLong: Int32 = 3
        /// `NVML_FI_DEV_POWER_AVERAGE`: power averaged over one second, mW.
        static let powerAverage: UInt32 = 185
        /// `NVML_FI_DEV_POWER_INSTANT`: current power, mW.
        static let powerInstant: UInt32 = 186
    }

    deinit {
        _ = shutdown()
        if let pointer = UnsafeMutableRawPointer(bitPattern: handle) { dlclose(pointer) }
    }
}
