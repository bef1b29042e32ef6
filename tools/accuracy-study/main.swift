import EnergySimulation

// Prints the accuracy study of per-turn and per-inference-span GPU energy as
// a Markdown table: ideal and NVML-like sensors, 1 to 50 Hz, both layouts,
// default@2, default@3 and ipw.
// Usage: accuracy-study [queries-per-run] [runs]
let arguments = CommandLine.arguments.dropFirst()
let queries = arguments.first.flatMap { Int($0) } ?? 25
let runs = arguments.dropFirst().first.flatMap { UInt64($0) } ?? 5
print(AccuracyStudy.markdown(AccuracyStudy.run(seeds: Array(1...runs), queries: queries)))
