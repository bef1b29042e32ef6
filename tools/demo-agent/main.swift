// demo-agent: writes the demo log bundled in fixtures/.
//
//   swift run demo-agent fixtures/demo-run.zst [--queries N] [--sample-hz HZ] [--seed S]
//
// The run happens on a simulated clock anchored at 2026-11-22T00:00:00Z, so
// the same arguments always write the same bytes.
import TraceLog
import TraceRecorder
#if canImport(Glibc)
import Glibc
#endif

var arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, in arguments: inout [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...i + 1) }
    return arguments[i + 1]
}
var agent = DemoAgent()
if let q = option("--queries", in: &arguments).flatMap(Int.init) { agent.queries = q }
if let hz = option("--sample-hz", in: &arguments).flatMap(Double.init) { agent.sampleHz = hz }
if let s = option("--seed", in: &arguments).flatMap(UInt64.init) { agent.seed = s }
let segmentBytes = option("--segment-bytes", in: &arguments).flatMap(Int.init) ?? 16_384
guard arguments.count == 1 else {
    print("usage: demo-agent OUTPUT.zst [--queries N] [--sample-hz HZ] [--seed S] [--segment-bytes N]")
    exit(2)
}
let anchor = ClockAnchor(wallNanoseconds: 1_795_305_600_000_000_000, monotonicNanoseconds: 0)
do {
    let recorder = try Recorder(
        path: arguments[0],
        configuration: RecorderConfiguration(
            segmentBytes: segmentBytes, flushInterval: .seconds(3600), runID: "demo-run-\(agent.seed)", anchor: anchor,
            recorderID: "demo-agent-\(agent.seed)"))
    agent.run(into: recorder)
    try recorder.close()
    let stats = recorder.statistics
    print("wrote \(stats.events) events in \(stats.segmentsWritten) segments, \(stats.fileBytes) bytes to \(arguments[0])")
} catch {
    print("demo-agent: \(error)")
    exit(1)
}
