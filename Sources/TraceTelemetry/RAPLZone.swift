import TraceLog

/// One powercap RAPL zone (a package, its DRAM, its cores, …) as found
/// under the powercap root.
public struct RAPLZone: Sendable, Equatable {
    /// The zone's directory name, e.g. `intel-rapl:0` or `intel-rapl:0:1`.
    public var directory: String
    /// The zone's `name` file: `package-0`, `dram`, `core`, `uncore`, `psys`.
    public var name: String
    /// The source name written in samples: `cpu-package-0`, `dram-0`,
    /// `cpu-core-0`, `cpu-uncore-0`, `psys-0`.
    public var source: String
    /// Which sample field the counter goes to.
    public var domain: Domain
    /// The counter's wrap range (`max_energy_range_uj`), joules; nil when
    /// the file could not be read.
    public var wrapJoules: Double?

    /// Which energy counter of a ``TelemetrySample`` a zone fills.
    public enum Domain: Sendable, Equatable {
        /// ``TelemetrySample/cpuEnergyJoules`` (package, core, uncore, psys).
        case cpu
        /// ``TelemetrySample/dramEnergyJoules``.
        case dram
    }

    /// Creates a zone.
    public init(directory: String, name: String, source: String, domain: Domain, wrapJoules: Double?) {
        self.directory = directory
        self.name = name
        self.source = source
        self.domain = domain
        self.wrapJoules = wrapJoules
    }

    /// The zone for a directory and its `name`: package domains are named
    /// after their package number, sub-zones after their parent package.
    static func classify(directory: String, name: String, wrapJoules: Double?) -> RAPLZone {
        // intel-rapl:P or intel-rapl:P:S (also intel-rapl-mmio:P).
        let parts = directory.split(separator: ":")
        let package = parts.count > 1 ? String(parts[1]) : "0"
        let source: String
        let domain: Domain
        if name.hasPrefix("package-") {
            source = "cpu-" + name
            domain = .cpu
        } else if name == "dram" {
            source = "dram-" + package
            domain = .dram
        } else if name == "core" || name == "uncore" {
            source = "cpu-\(name)-" + package
            domain = .cpu
        } else {
            source = "\(name)-" + package
            domain = .cpu
        }
        let prefix = directory.hasPrefix("intel-rapl-mmio") ? "mmio-" : ""
        return RAPLZone(directory: directory, name: name, source: prefix + source, domain: domain, wrapJoules: wrapJoules)
    }
}
