import EnergySimulation

// Prints the accuracy study of per-turn GPU energy as a Markdown table.
// Usage: accuracy-study [queries-per-run] [runs]
let arguments = CommandLine.arguments.dropFirst()
let queries = arguments.first.flatMap { Int($0) } ?? 40
let runs = arguments.dropFirst().first.flatMap { UInt64($0) } ?? 5
print(AccuracyStudy.markdown(AccuracyStudy.run(seeds: Array(1...runs), queries: queries)))
