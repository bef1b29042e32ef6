// The agent-trace benchmark suite (see docs/PERFORMANCE.md).
//
//     cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
//
// Benchmarks that loop over 1000 events per measured iteration
// (scalingFactor .kilo) report per-event numbers, marked `*`.
import Benchmark

let benchmarks: @Sendable () -> Void = {
    clockBenchmarks()
    appendBenchmarks()
    sustainedBenchmarks()
    agentLoopBenchmarks()
    analyzerBenchmarks()
    engineBenchmarks()
}
