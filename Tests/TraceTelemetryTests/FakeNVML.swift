import Foundation

/// A stand-in for `libnvidia-ml.so.1`, compiled from C at test time, that
/// implements the NVML entry points the GPU source calls with the ABI of
/// nvml.h: one GPU whose energy counter advances by 7 J every
/// `FAKE_PERIOD_MS` milliseconds of the monotonic clock (every call when
/// 0), `nvmlDeviceGetPowerUsage` 200 W, and, with `FAKE_FIELDS` 1, the
/// instant power field at 150 W and the average one at 199 W (2: the entry
/// point exists but answers not supported for every field; undefined: no
/// such entry point); `FAKE_DRIVER` adds `nvmlSystemGetDriverVersion`.
enum FakeNVML {
    static let source = #"""
    #include <stdint.h>
    #include <string.h>
    #include <time.h>

    typedef struct { unsigned int fieldId, scopeId; long long timestamp, latencyUsec;
                     int valueType, nvmlReturn; union { double d; unsigned int ui; unsigned long long ull; } value; } field_value;
    _Static_assert(sizeof(field_value) == 40, "nvmlFieldValue_t is 40 bytes");

    static int device0;
    static unsigned long long calls;

    int nvmlInit_v2(void) { return 0; }
    int nvmlShutdown(void) { return 0; }
    int nvmlDeviceGetCount_v2(unsigned int *count) { *count = 1; return 0; }
    int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **device) {
        if (index != 0) return 2;
        *device = &device0;
        return 0;
    }
    static int text(const char *value, char *buffer, unsigned int length) {
        if (strlen(value) + 1 > length) return 7;
        strcpy(buffer, value);
        return 0;
    }
    int nvmlDeviceGetUUID(void *device, char *buffer, unsigned int length) { return text("GPU-fake-0000", buffer, length); }
    int nvmlDeviceGetName(void *device, char *buffer, unsigned int length) { return text("Fake H100", buffer, length); }
    int nvmlDeviceGetTotalEnergyConsumption(void *device, unsigned long long *millijoules) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        unsigned long long ms = (unsigned long long)now.tv_sec * 1000ULL + (unsigned long long)now.tv_nsec / 1000000ULL;
        unsigned long long steps = FAKE_PERIOD_MS > 0 ? ms / FAKE_PERIOD_MS : ++calls;
        *millijoules = 1000000ULL + steps * 7000ULL;
        return 0;
    }
    int nvmlDeviceGetPowerUsage(void *device, unsigned int *milliwatts) { *milliwatts = 200000; return 0; }
    const char *nvmlErrorString(int code) { return "fake error"; }
    #ifdef FAKE_DRIVER
    int nvmlSystemGetDriverVersion(char *buffer, unsigned int length) { return text("555.42.06", buffer, length); }
    #endif
    #ifdef FAKE_FIELDS
    int nvmlDeviceGetFieldValues(void *device, int count, field_value *values) {
        for (int i = 0; i < count; i++) {
            values[i].nvmlReturn = 3;
            if (FAKE_FIELDS == 1 && (values[i].fieldId == 186 || values[i].fieldId == 185)) {
                values[i].nvmlReturn = 0;
                values[i].valueType = 1;
                values[i].value.ui = values[i].fieldId == 186 ? 150000 : 199000;
            }
        }
        return 0;
    }
    #endif
    """#

    /// The toolchain's C compiler: the one beside `swift` on the PATH, else
    /// `/opt/swift/usr/bin/clang`, else `cc`.
    static func compiler() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/clang"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        for candidate in ["/opt/swift/usr/bin/clang", "/usr/bin/cc"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }

    /// Builds the library with `defines` (`FAKE_PERIOD_MS=25`, …) and
    /// returns its path.
    static func build(_ name: String, defines: [String]) throws -> String {
        guard let compiler = compiler() else { throw Failure("no C compiler (clang or cc) to build the fake NVML with") }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fake-nvml-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sourcePath = directory.appendingPathComponent("fake-nvml.c").path
        let libraryPath = directory.appendingPathComponent("libnvidia-ml-fake.so").path
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: compiler)
        process.arguments = ["-shared", "-fPIC", "-O1", "-o", libraryPath, sourcePath] + defines.map { "-D\($0)" }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure("\(compiler) failed: \(String(decoding: message, as: UTF8.self))")
        }
        return libraryPath
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
