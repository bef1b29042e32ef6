#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TraceAnalysis
import TraceLog

/// Points of one counter track kept in an unlinked temporary file while
/// the logs stream, replayed in order when the trace is written: memory does
/// not grow with the samples.
final class PointSpill {
    /// Made on the first point written out: a track with no points holds
    /// no file open.
    private var file: UnsafeMutablePointer<FILE>?
    private(set) var count = 0
    /// The last point, held back so that a later one at the same instant
    /// replaces it (raw readings keep the last of several at one instant).
    private var pending: (time: Int64, value: Double)?
    private let replacesSameInstant: Bool
    /// Whether the temporary file could not be made or written: the points
    /// are then incomplete, and the caller must not use them.
    private(set) var failed = false

    /// Whether a point is held back.
    var hasPending: Bool { pending != nil }

    init(replacesSameInstant: Bool) {
        self.replacesSameInstant = replacesSameInstant
    }

    deinit {
        if let file { fclose(file) }
    }

    func append(_ time: Int64, _ value: Double) {
        if replacesSameInstant, let held = pending, held.time == time {
            pending = (time, value)
            return
        }
        flushPending()
        pending = (time, value)
    }

    private func flushPending() {
        guard let held = pending, !failed else { return }
        if file == nil { file = tmpfile() }
        guard let file else {
            failed = true
            return
        }
        var record = (held.time, held.value.bitPattern)
        if withUnsafeBytes(of: &record, { fwrite($0.baseAddress, 1, 16, file) }) != 16 { failed = true }
        count += 1
        pending = nil
    }

    /// Writes out the point held back and the file's buffer.
    func flush() {
        flushPending()
        if let file, fflush(file) != 0 { failed = true }
    }

    /// Calls `body` with every point, in the order appended.
    func forEach(_ body: (Int64, Double) -> Void) {
        flushPending()
        guard let file else { return }
        fflush(file)
        rewind(file)
        var buffer = [UInt8](repeating: 0, count: 16 * 4096)
        while true {
            let read = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if read < 16 {
                if ferror(file) != 0 { failed = true }
                break
            }
            buffer.withUnsafeBytes { bytes in
                for offset in stride(from: 0, to: read - read % 16, by: 16) {
                    let time = bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)
                    let bits = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
                    body(time, Double(bitPattern: bits))
                }
            }
        }
        fseek(file, 0, SEEK_END)
    }
}

extension PerfettoTrace {
    /// The order of a source's tracks.
    static let channelOrder = [
        "gpu_energy_j", "cpu_energy_j", "dram_energy_j", "gpu_power_w", "cpu_power_w", "dram_power_w",
        "gpu_utilization_pct", "cpu_utilization_pct", "memory_bytes", "temperature_c",
    ]

    /// Writes the trace of the logs at `paths` while streaming them: the
    /// default engine's passes give the energy tracks knot by knot and the
    /// set's stream its rows, a third pass over the samples the raw tracks,
    /// each track's points spilled to a temporary file. The same bytes as
    /// ``write(_:progress:to:)`` of the logs read whole; nil (and nothing
    /// written) when the logs' order does not allow a stream.
    package func writeStreamed(
        _ paths: [String], progress: ExportProgress? = nil, to sink: (String) -> Void
    ) -> LogStream.Pass? {
        var energy: [String: [(source: String, channel: String, spill: PointSpill)]] = [:]
        var spans: [String: (first: Int64, last: Int64)] = [:]
        guard var outcome = StreamedLogAnalysis.analyze(paths, metricSet: DefaultMetricSet(options: .init(clockOffsets: clockOffsets)), prepare: { stream in
            spans[stream.runID] = stream.timeSpan
            let series = stream.energySeries
            var position: [Int: Int] = [:]
            var tracks: [(source: String, channel: String, spill: PointSpill)] = []
            var sums: [Double] = []
            for (k, s) in series.enumerated() {
                position[s.slot] = k
                tracks.append((s.source, "\(s.domain.rawValue)_energy_j", PointSpill(replacesSameInstant: false)))
                sums.append(0)
            }
            energy[stream.runID] = tracks
            let spills = tracks.map(\.spill)
            stream.knotObserver = { slot, time, joules in
                guard let k = position[slot] else { return }
                if let joules {
                    sums[k] += joules
                    spills[k].append(time, sums[k])
                } else {
                    spills[k].append(time, 0)
                }
            }
        }) else { return nil }
        let runIDs = outcome.runs.map(\.events.runID)
        var analyzed = outcome.runs
        if metricSet.identity != DefaultMetricSet.identity {
            guard let runs = { () -> [AnalyzedRun]? in
                guard let other = metricSet.analyzeStream(paths), other.runs.map(\.events.runID) == runIDs else { return nil }
                return other.runs
            }() else { return nil }
            analyzed = runs
        }
        // The runs' structures stay; their rows live in `analyzed` only,
        // each let go of as its run is written.
        let structures = outcome.runs.map(\.structure)
        outcome.runs = []

        // The raw readings, per run and source, in record order (which must
        // be each source's time order).
        let rawChannels = ["gpu_power_w", "cpu_power_w", "dram_power_w", "gpu_utilization_pct", "cpu_utilization_pct",
                           "memory_bytes", "temperature_c"]
        var raw: [String: [String: [PointSpill]]] = [:]
        var lastTime: [String: [String: Int64]] = [:]
        var ordered = true
        var runID = ""
        let third = LogStream.forEachEvent(in: outcome.pass.files, samplesOnly: true) { header in
            runID = header.runID
        } _: { _ in
        } visitSample: { _, timestamp, s in
            guard RunEvents.plausibleTimestamps.contains(timestamp) else { return }
            let source = s.source ?? "unknown"
            if let last = lastTime[runID]?[source], timestamp < last { ordered = false }
            lastTime[runID, default: [:]][source] = timestamp
            let values = [s.gpuPowerWatts, s.cpuPowerWatts, s.dramPowerWatts, s.gpuUtilizationPercent,
                          s.cpuUtilizationPercent, s.memoryBytes, s.temperatureCelsius]
            let spills = raw[runID]?[source] ?? rawChannels.map { _ in PointSpill(replacesSameInstant: true) }
            if raw[runID]?[source] == nil { raw[runID, default: [:]][source] = spills }
            for (k, value) in values.enumerated() {
                guard let value, value.isFinite, value >= 0 else { continue }
                spills[k].append(timestamp, value)
            }

        }
        guard ordered, outcome.pass.readTheSame(as: third) else { return nil }
        // A track that could not be spilled (no temporary file, a full disk)
        // would lose points: read the logs whole instead.
        let spills = energy.values.flatMap { $0.map(\.spill) } + raw.values.flatMap { $0.values.flatMap { $0 } }
        for spill in spills { spill.flush() }
        guard !spills.contains(where: \.failed) else { return nil }

        let origin = runIDs.compactMap { spans[$0]?.first }.min() ?? 0
        write(runIDs.count, origin: origin, progress: progress, to: sink) { index in
            let id = runIDs[index]
            var bySource: [String: [String: PointSpill]] = [:]
            for track in energy[id] ?? [] {
                bySource[track.source, default: [:]][track.channel] = track.spill
            }
            for (source, spills) in raw[id] ?? [:] {
                for (k, spill) in spills.enumerated() { bySource[source, default: [:]][rawChannels[k]] = spill }
            }
            var channels: [Channel] = []
            for source in bySource.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                for name in Self.channelOrder {
                    guard let spill = bySource[source]?[name] else { continue }
                    let isEnergy = name.hasSuffix("_energy_j")
                    // Energy tracks exist for series of two knots or more.
                    if isEnergy ? spill.pointCount < 2 : spill.pointCount == 0 { continue }
                    channels.append(Channel(source: source, channel: name) { spill.forEach($0) })
                }
            }
            var run = analyzed[index]
            analyzed[index] = AnalyzedRun(events: run.events, result: AnalysisResult(), structure: run.structure)
            let rows = viewRows(taking: &run)
            return RunContent(runID: id, queryRows: rows.queries, turnRows: rows.turns,
                              structure: structures[index], channels: channels)
        }
        return outcome.pass
    }
}

extension PointSpill {
    /// The number of points, the one held back included.
    var pointCount: Int { count + (hasPending ? 1 : 0) }
}
