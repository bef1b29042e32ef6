import TraceLog

/// Gauges from `/proc`: whole-machine CPU utilisation from `/proc/stat` and
/// the resident memory of one process from `/proc/PID/status` (`VmRSS`).
///
/// Each read gives one sample, source `proc`, with
/// ``TelemetrySample/cpuUtilizationPercent`` (busy share of all CPUs since
/// the previous read; absent on the first read) and
/// ``TelemetrySample/memoryBytes`` (absent when no process is watched or it
/// has exited).
public struct ProcSource: TelemetrySource {
    /// The default procfs root.
    public static let defaultRoot = "/proc"

    /// The procfs root.
    public let root: String
    private let fileSystem: TelemetryFileSystem
    private let process: @Sendable () -> Int32?
    private var previous: CPUTimes?

    /// `proc`.
    public var kind: String { "proc" }

    /// Opens the source.
    ///
    /// - Parameters:
    ///   - root: the procfs root (a fixture tree in tests).
    ///   - fileSystem: how files are read.
    ///   - process: the process whose RSS is sampled, asked at every read
    ///     (the command `trace-record` runs is started after the sampler).
    /// - Throws: ``TelemetryUnavailable`` when `stat` under `root` cannot be read.
    public init(
        root: String = ProcSource.defaultRoot, fileSystem: TelemetryFileSystem = .live,
        process: @escaping @Sendable () -> Int32? = { nil }
    ) throws(TelemetryUnavailable) {
        self.root = root
        self.fileSystem = fileSystem
        self.process = process
        do {
            guard CPUTimes(stat: try fileSystem.readFile(root + "/stat")) != nil else {
                throw TelemetryUnavailable(source: "proc", message: "\(root)/stat has no cpu line")
            }
        } catch let error as FileAccessError {
            throw TelemetryUnavailable(source: "proc", message: "cannot read \(error); /proc gauges need Linux")
        } catch let error as TelemetryUnavailable {
            throw error
        } catch {
            throw TelemetryUnavailable(source: "proc", message: "\(error)")
        }
    }

    /// Reads CPU utilisation and the watched process's RSS.
    public mutating func read(at monotonicNanoseconds: Int64) -> [TelemetrySample] {
        var sample = TelemetrySample(source: "proc")
        if let text = try? fileSystem.readFile(root + "/stat"), let times = CPUTimes(stat: text) {
            if let previous, let percent = times.utilization(since: previous) {
                sample.cpuUtilizationPercent = percent
            }
            previous = times
        }
        if let pid = process(), let text = try? fileSystem.readFile("\(root)/\(pid)/status") {
            sample.memoryBytes = Self.residentBytes(status: text)
        }
        return [sample]
    }

    /// `VmRSS` of a `/proc/PID/status` text, in bytes.
    static func residentBytes(status: String) -> Double? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let value = fields.first.flatMap({ Double($0) }) else { return nil }
            let unit = fields.count > 1 ? fields[1].lowercased() : "kb"
            switch unit {
            case "kb": return value * 1024
            case "mb": return value * 1024 * 1024
            default: return value
            }
        }
        return nil
    }
}

/// The aggregate `cpu` line of `/proc/stat`, in clock ticks.
struct CPUTimes: Sendable, Equatable {
    /// Ticks spent idle (idle + iowait).
    var idle: UInt64
    /// All ticks.
    var total: UInt64

    /// Parses the first `cpu ` line of a `/proc/stat` text.
    init?(stat: String) {
        guard let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard values.count >= 4 else { return nil }
        // user nice system idle iowait irq softirq steal [guest guest_nice]:
        // guest time is already counted in user and nice.
        let counted = values.prefix(8)
        idle = values[3] + (values.count > 4 ? values[4] : 0)
        total = counted.reduce(0, +)
    }

    /// Busy percent of the ticks between `previous` and these; nil when no
    /// tick passed or the counters went backwards.
    func utilization(since previous: CPUTimes) -> Double? {
        guard total > previous.total, idle >= previous.idle else { return nil }
        let elapsed = Double(total - previous.total)
        let idleTicks = Double(idle - previous.idle)
        return max(0, min(100, 100 * (elapsed - idleTicks) / elapsed))
    }
}
