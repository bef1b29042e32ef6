// The agent-trace benchmark suite (see docs/PERFORMANCE.md).
//
//     cd Benchmarks && swift package --allow-writing-to-package-directory benchmark --scale
//
// `--scale` reports per-event numbers for the benchmarks that loop over
// 1000 events per measured iteration (scalingFactor .kilo).
import Benchmark

let benchmarks: @Sendable () -> Void = {
    clockBenchmarks()
    appendBenchmarks()
    sustainedBenchmarks()
    agentLoopBenchmarks()
    analyzerBenchmarks()
}
