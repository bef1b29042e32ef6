import Benchmark
import Foundation
import TraceAnalysis
import TraceLog

/// The analysis engine's targets on the shaped log that `tools/bench.sh`
/// makes (`.bench/issue-20k.zst`: 20 000 queries sampled at 4 Hz, about 2 M
/// events): the zstd floor (every frame decompressed, nothing decoded),
/// `--by query` of the default set and `--by turn` of `ipw`, each from the
/// log's path to its rows, in events per second. Their ratio to the floor
/// is the target "`--by query` ≤ 3× `zstd -dc`".
func engineBenchmarks() {
    let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".bench/issue-20k.zst").path
    guard let bytes = FileManager.default.contents(atPath: path) else {
        print("skipping engine benchmarks: \(path) is missing; run tools/bench.sh first")
        return
    }
    let events = LogReader.read([path]).files.reduce(0) { $0 + $1.eventCount }
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident, .custom("kevents/s", polarity: .prefersLarger)],
        maxDuration: .seconds(20), maxIterations: 10)
    func rate(_ benchmark: Benchmark, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        benchmark.measurement(.custom("kevents/s", polarity: .prefersLarger), Int(Double(events) / seconds / 1000))
    }

    Benchmark("engine: zstd floor, shaped log", configuration: configuration) { benchmark in
        let start = ContinuousClock.now
        let decompressor = ZstdDecompressor()
        var total = 0
        bytes.withUnsafeBytes { data in
            var offset = 0
            while offset < data.count {
                let rest = UnsafeRawBufferPointer(rebasing: data[offset...])
                guard let size = try? ZstdFrames.compressedSize(rest) else { break }
                let frame = UnsafeRawBufferPointer(rebasing: rest[..<size])
                if let declared = ZstdFrames.contentSize(frame) {
                    total += (try? decompressor.decompress(frame, contentSize: Int(declared)) { $0.count }) ?? 0
                }
                offset += size
            }
        }
        blackHole(total)
        rate(benchmark, since: start)
    }

    Benchmark("engine: --by query, default set, shaped log", configuration: configuration) { benchmark in
        let start = ContinuousClock.now
        let logs = LogAnalysis.analyze([path], with: DefaultMetricSet())
        let (rows, _) = AnalysisReport(metricSet: DefaultMetricSet(), view: .query).rows(logs)
        blackHole(rows.count)
        rate(benchmark, since: start)
    }

    Benchmark("engine: --by turn, ipw set, shaped log", configuration: configuration) { benchmark in
        let start = ContinuousClock.now
        let logs = LogAnalysis.analyze([path], with: IPWMetricSet())
        let (rows, _) = AnalysisReport(metricSet: IPWMetricSet(), view: .turn).rows(logs)
        blackHole(rows.count)
        rate(benchmark, since: start)
    }
}
