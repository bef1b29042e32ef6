import TraceAnalysis
import TraceLog

/// Compares metric sets' per-turn GPU energy with a simulator's ground truth.
public enum AccuracyStudy {
    /// A metric set under study.
    public struct Contender: Sendable {
        /// The label printed in the table.
        public var label: String
        /// The set.
        public var metricSet: any MetricSet

        /// Creates a contender.
        public init(label: String, metricSet: any MetricSet) {
            self.label = label
            self.metricSet = metricSet
        }

        /// The default set (power-shaped), the default set with linear
        /// interpolation only, and ipw.
        public static let all: [Contender] = [
            Contender(label: "default", metricSet: DefaultMetricSet()),
            Contender(label: "default (linear)", metricSet: DefaultMetricSet(options: .init(shape: .linear))),
            Contender(label: "ipw", metricSet: IPWMetricSet()),
        ]
    }

    /// One line of the study's table.
    public struct Row: Sendable {
        /// The contender's label.
        public var label: String
        /// The sampling rate, hertz.
        public var samplingHz: Double
        /// The layout of queries.
        public var scenario: PowerSimulator.Scenario
        /// Turns compared.
        public var turns: Int
        /// Turns the set left without energy (null).
        public var withoutEnergy: Int
        /// Median relative error of the turns with energy.
        public var median: Double
        /// 95th percentile (nearest rank).
        public var p95: Double
        /// Largest relative error.
        public var max: Double
    }

    /// The relative errors of one set on one simulated run, and how many
    /// turns it left without energy.
    public static func errors(of metricSet: any MetricSet, on run: PowerSimulator.Run) -> (errors: [Double], missing: Int) {
        let result = metricSet.analyze(RunEvents(runID: run.events.first?.runID ?? "sim", events: run.events))
        var estimates: [String: Double?] = [:]
        for row in result.turns {
            guard let query = row["query_id"]?.stringValue, let index = row["turn_index"]?.intValue else { continue }
            estimates["\(query)/\(index)"] = row["gpu_energy_joules"]?.doubleValue
        }
        var errors: [Double] = []
        var missing = 0
        for truth in run.truth {
            guard let estimate = estimates["\(truth.queryID)/\(truth.turnIndex)"] ?? nil else {
                missing += 1
                continue
            }
            errors.append(abs(estimate - truth.joules) / truth.joules)
        }
        return (errors, missing)
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }

    /// Runs the study: every contender, rate and scenario, over `seeds`
    /// simulated runs of `queries` queries each.
    public static func run(contenders: [Contender] = Contender.all, rates: [Double] = [1, 10, 20],
                           scenarios: [PowerSimulator.Scenario] = PowerSimulator.Scenario.allCases,
                           seeds: [UInt64] = [1, 2, 3], queries: Int = 20) -> [Row] {
        var rows: [Row] = []
        for scenario in scenarios {
            for rate in rates {
                let runs = seeds.map {
                    PowerSimulator(.init(seed: $0 &* 1000 &+ UInt64(rate), samplingHz: rate, queries: queries, scenario: scenario)).run()
                }
                for contender in contenders {
                    var all: [Double] = []
                    var missing = 0
                    var turns = 0
                    for run in runs {
                        let (errors, lost) = errors(of: contender.metricSet, on: run)
                        all += errors
                        missing += lost
                        turns += run.truth.count
                    }
                    all.sort()
                    rows.append(Row(label: contender.label, samplingHz: rate, scenario: scenario, turns: turns,
                                    withoutEnergy: missing, median: percentile(all, 0.5), p95: percentile(all, 0.95),
                                    max: all.last ?? .nan))
                }
            }
        }
        return rows
    }

    /// The rows as a Markdown table.
    public static func markdown(_ rows: [Row]) -> String {
        func percent(_ value: Double) -> String {
            guard value.isFinite else { return "n/a" }
            let hundredths = Int((value * 10_000).rounded())
            let fraction = String(hundredths % 100)
            return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction)%"
        }
        var lines = [
            "| set | scenario | rate | turns | without energy | median | p95 | max |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in rows {
            lines.append("| \(row.label) | \(row.scenario.rawValue) | \(Int(row.samplingHz)) Hz | \(row.turns) | \(row.withoutEnergy) | \(percent(row.median)) | \(percent(row.p95)) | \(percent(row.max)) |")
        }
        return lines.joined(separator: "\n")
    }
}
