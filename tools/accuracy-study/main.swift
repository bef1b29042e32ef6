import EnergySimulation

// Prints the accuracy study of per-turn and per-inference-span GPU energy as
// a Markdown table: ideal and NVML-like sensors, 1 to 50 Hz, both layouts,
// default@2, default@3 and ipw; inference ends record the time to first
// token, and the NVML-like sensor with averaged power is run once more
// without it.
// Usage: accuracy-study [queries-per-run] [runs]
let arguments = CommandLine.arguments.dropFirst()
let queries = arguments.first.flatMap { Int($0) } ?? 25
let runs = arguments.dropFirst().first.flatMap { UInt64($0) } ?? 5
let seeds = Array(1...runs)
let rows = AccuracyStudy.run(seeds: seeds, queries: queries)
    + AccuracyStudy.run(sensors: [.nvmlTypical], seeds: seeds, queries: queries, recordsFirstToken: false)
print(AccuracyStudy.markdown(rows))
