import TraceLog

/// Energy counters of Linux powercap RAPL (Intel, and AMD through the same
/// interface): every zone under the powercap root, package and sub-zones.
///
/// Each read gives one sample per zone with the raw `energy_uj` converted
/// to joules and the zone's `max_energy_range_uj` as
/// ``TelemetrySample/energyWrapJoules``, so the analyser can unwrap the
/// counter. Package, core, uncore and psys zones fill
/// ``TelemetrySample/cpuEnergyJoules``; DRAM zones
/// ``TelemetrySample/dramEnergyJoules``.
///
/// Since CVE-2020-8694 `energy_uj` is readable by root only on most
/// distributions. Zones that cannot be read are left out with a warning
/// naming the fix; when none can be read, opening fails with that message.
public struct RAPLSource: TelemetrySource {
    /// The default powercap root.
    public static let defaultRoot = "/sys/class/powercap"

    /// The root the zones were found under.
    public let root: String
    /// The zones that are read.
    public let zones: [RAPLZone]
    /// See ``TelemetrySource/warnings``.
    public let warnings: [String]
    private let fileSystem: TelemetryFileSystem

    /// `rapl`.
    public var kind: String { "rapl" }

    /// One label per zone: `rapl.cpu-package-0=intel-rapl:0`.
    public var labels: [Label] { zones.map { Label("rapl.\($0.source)", $0.directory) } }

    /// Finds the zones under `root` whose counters can be read.
    ///
    /// - Throws: ``TelemetryUnavailable`` when the root has no RAPL zone or
    ///   none of them can be read; the message names the fix.
    public init(root: String = RAPLSource.defaultRoot, fileSystem: TelemetryFileSystem = .live)
        throws(TelemetryUnavailable)
    {
        self.root = root
        self.fileSystem = fileSystem
        let entries: [String]
        do {
            entries = try fileSystem.listDirectory(root)
        } catch {
            throw TelemetryUnavailable(
                source: "rapl", message: "no powercap interface at \(root) (\(error)); RAPL needs Linux with the intel_rapl driver")
        }
        var zones: [RAPLZone] = []
        var denied: [String] = []
        var warnings: [String] = []
        for entry in entries where entry.contains(":") && entry.contains("rapl") {
            let directory = root + "/" + entry
            guard let name = try? fileSystem.readFile(directory + "/name").trimmingWhitespace(), !name.isEmpty else {
                continue
            }
            let range = try? fileSystem.readInteger(directory + "/max_energy_range_uj")
            do {
                guard try fileSystem.readInteger(directory + "/energy_uj") != nil else {
                    warnings.append("\(directory)/energy_uj does not hold an integer; zone \(name) left out")
                    continue
                }
            } catch {
                if error.isPermissionDenied { denied.append(entry) } else {
                    warnings.append("\(error); zone \(name) left out")
                }
                continue
            }
            zones.append(RAPLZone.classify(directory: entry, name: name, wrapJoules: range.map { Double($0) / 1e6 }))
        }
        if !denied.isEmpty {
            let fix = Self.permissionFix(root: root)
            if zones.isEmpty {
                throw TelemetryUnavailable(
                    source: "rapl",
                    message: "permission denied reading energy_uj of \(denied.joined(separator: ", ")) under \(root) "
                        + "(root-only since CVE-2020-8694); \(fix)")
            }
            warnings.append(
                "permission denied reading energy_uj of \(denied.joined(separator: ", ")) under \(root); those zones are left out; \(fix)")
        }
        if zones.isEmpty {
            throw TelemetryUnavailable(source: "rapl", message: "no RAPL zone found under \(root)")
        }
        self.zones = zones
        self.warnings = warnings
    }

    /// The message that says how to make the counters readable.
    static func permissionFix(root: String) -> String {
        "to fix: run as root, or `sudo chmod o+r \(root)/intel-rapl:*/energy_uj` (sub-zones too: \(root)/intel-rapl:*:*/energy_uj)"
    }

    /// Reads every zone's counter. A zone whose read fails is skipped for
    /// this reading: absent, never zero.
    public mutating func read(at monotonicNanoseconds: Int64) -> [TelemetrySample] {
        var samples: [TelemetrySample] = []
        samples.reserveCapacity(zones.count)
        for zone in zones {
            let path = root + "/" + zone.directory + "/energy_uj"
            guard let microjoules = try? fileSystem.readInteger(path) else { continue }
            let joules = Double(microjoules) / 1e6
            var sample = TelemetrySample(source: zone.source, energyWrapJoules: zone.wrapJoules)
            switch zone.domain {
            case .cpu: sample.cpuEnergyJoules = joules
            case .dram: sample.dramEnergyJoules = joules
            }
            samples.append(sample)
        }
        return samples
    }
}
