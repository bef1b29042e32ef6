import Benchmark
import Foundation
import TraceAnalysis
import TraceLog

/// The analyser on the demo agent's logs of 1× and 10× size (100 and 1000
/// queries, made by `tools/bench.sh` in `.bench/`): read, decode, analyse
/// with the default metric set, per `--by turn` and `--by query` row set;
/// whole (`LogReader` + ``DefaultMetricSet/analyze(_:)``, what the tool and
/// model views and the exports use) and streamed (``StreamedLogAnalysis``,
/// what `trace-analyze --by turn|query|run|label:KEY` uses).
/// The 100× log and peak memory per size are measured by `tools/bench.sh`
/// (one process per size, `/usr/bin/time -v`).
func analyzerBenchmarks() {
    let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".bench").path
    for (size, queries) in [("1×", 100), ("10×", 1000)] {
        let path = "\(directory)/demo-\(queries).zst"
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipping analyser benchmarks: \(path) is missing; run tools/bench.sh first")
            return
        }
        for view in ["turn", "query"] {
            Benchmark("analyze --by \(view), \(size) log", configuration: .init(
                metrics: [.wallClock, .peakMemoryResident, .custom("kevents/s", polarity: .prefersLarger)],
                maxDuration: .seconds(10), maxIterations: 20)) { benchmark in
                let start = ContinuousClock.now
                let log = LogReader.read([path])
                var events = 0
                var rows = 0
                for run in log.runs {
                    events += run.events.count
                    let result = DefaultMetricSet().analyze(RunEvents(runID: run.runID, events: run.events))
                    rows += view == "turn" ? result.turns.count : result.queries.count
                }
                let elapsed = ContinuousClock.now - start
                blackHole(rows)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                benchmark.measurement(.custom("kevents/s", polarity: .prefersLarger), Int(Double(events) / seconds / 1000))
            }
            Benchmark("analyze streamed --by \(view), \(size) log", configuration: .init(
                metrics: [.wallClock, .peakMemoryResident, .custom("kevents/s", polarity: .prefersLarger)],
                maxDuration: .seconds(10), maxIterations: 20)) { benchmark in
                let start = ContinuousClock.now
                guard let outcome = StreamedLogAnalysis.analyze([path]) else { fatalError("\(path) cannot be streamed") }
                let rows = outcome.runs.reduce(0) { $0 + (view == "turn" ? $1.result.turns.count : $1.result.queries.count) }
                let elapsed = ContinuousClock.now - start
                blackHole(rows)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                benchmark.measurement(.custom("kevents/s", polarity: .prefersLarger), Int(Double(outcome.pass.eventCount) / seconds / 1000))
            }
        }
    }
}
