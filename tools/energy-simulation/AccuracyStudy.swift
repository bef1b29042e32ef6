import TraceAnalysis
import TraceLog

/// Compares metric sets' per-turn and per-inference-span GPU energy with a
/// simulator's ground truth.
public enum AccuracyStudy {
    /// A metric set under study.
    public struct Contender: Sendable {
        /// The label printed in the table.
        public var label: String
        /// The set.
        public var metricSet: any MetricSet
        /// Whether an inference's energy is read from its turn row (ipw,
        /// whose turn is the inference's window) rather than from the set's
        /// span energy.
        public var spansFromTurns: Bool

        /// Creates a contender.
        public init(label: String, metricSet: any MetricSet, spansFromTurns: Bool = false) {
            self.label = label
            self.metricSet = metricSet
            self.spansFromTurns = spansFromTurns
        }

        /// Version 2 of the default set (every reading exact at its
        /// instant), version 3 (the sensor model), and ipw.
        public static let all: [Contender] = [
            Contender(label: "default@2", metricSet: DefaultMetricSetV2()),
            Contender(label: "default@3", metricSet: DefaultMetricSet()),
            Contender(label: "ipw", metricSet: IPWMetricSet(), spansFromTurns: true),
        ]
    }

    /// Error statistics of one kind of row.
    public struct Errors: Sendable {
        /// Rows compared.
        public var rows: Int
        /// Rows the set left without energy (null).
        public var withoutEnergy: Int
        /// Median relative error of the rows with energy.
        public var median: Double
        /// 95th percentile (nearest rank).
        public var p95: Double
        /// Largest relative error.
        public var max: Double

        init(_ errors: [Double], rows: Int, missing: Int) {
            let sorted = errors.sorted()
            self.rows = rows
            withoutEnergy = missing
            median = AccuracyStudy.percentile(sorted, 0.5)
            p95 = AccuracyStudy.percentile(sorted, 0.95)
            max = sorted.last ?? .nan
        }
    }

    /// One line of the study's table.
    public struct Row: Sendable {
        /// The contender's label.
        public var label: String
        /// The sensor simulated.
        public var sensor: PowerSimulator.Sensor
        /// Whether inference ends recorded the time to first token.
        public var recordsFirstToken: Bool = true
        /// The sampling rate, hertz.
        public var samplingHz: Double
        /// The layout of queries.
        public var scenario: PowerSimulator.Scenario
        /// Per-turn GPU energy.
        public var turns: Errors
        /// Per-inference-span GPU energy (for ipw, its turn: the inference's
        /// window).
        public var spans: Errors
    }

    /// The relative errors of one set's turns and inference spans on one
    /// simulated run, and how many it left without energy.
    public static func errors(
        of metricSet: any MetricSet, on run: PowerSimulator.Run, spansFromTurns: Bool = false
    ) -> (turns: [Double], missingTurns: Int, spans: [Double], missingSpans: Int) {
        let runID = run.events.first?.runID ?? "sim"
        let events = RunEvents(runID: runID, events: run.events)
        let result = metricSet.analyze(events)
        var estimates: [String: Double?] = [:]
        for row in result.turns {
            guard let query = row["query_id"]?.stringValue, let index = row["turn_index"]?.intValue else { continue }
            estimates["\(query)/\(index)"] = row["gpu_energy_joules"]?.doubleValue
        }
        var turnErrors: [Double] = []
        var missingTurns = 0
        for truth in run.truth {
            guard let estimate = estimates["\(truth.queryID)/\(truth.turnIndex)"] ?? nil else {
                missingTurns += 1
                continue
            }
            turnErrors.append(abs(estimate - truth.joules) / truth.joules)
        }
        // Spans: the set's span energy where it has one, else (ipw) its
        // turn, which is the inference's window.
        let spanEnergy = metricSet.spanEnergy(events)
        var starts: [String: UInt64] = [:]
        for event in run.events {
            if case .inferenceStart(let start) = event.payload, let span = start.spanID { starts[span] = event.sequence }
        }
        var spanErrors: [Double] = []
        var missingSpans = 0
        for truth in run.spanTruth {
            var estimate: Double?
            if spansFromTurns {
                estimate = estimates["\(truth.queryID)/\(truth.turnIndex)"] ?? nil
            } else if let sequence = starts[truth.spanID] {
                estimate = spanEnergy.gpuJoules(SpanReference(
                    kind: .inference, runID: runID, queryID: truth.queryID, spanID: truth.spanID,
                    startSequence: sequence, endSequence: nil))
            }
            guard let estimate, truth.joules > 0 else {
                missingSpans += 1
                continue
            }
            spanErrors.append(abs(estimate - truth.joules) / truth.joules)
        }
        return (turnErrors, missingTurns, spanErrors, missingSpans)
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }

    /// Runs the study: every contender, sensor, rate and scenario, over
    /// `seeds` simulated runs of `queries` queries each.
    public static func run(
        contenders: [Contender] = Contender.all,
        sensors: [PowerSimulator.Sensor] = [.ideal, .nvmlTypical, .nvmlInstantTypical],
        rates: [Double] = [1, 10, 20, 50], scenarios: [PowerSimulator.Scenario] = PowerSimulator.Scenario.allCases,
        seeds: [UInt64] = [1, 2, 3], queries: Int = 20, recordsFirstToken: Bool = true
    ) -> [Row] {
        var rows: [Row] = []
        for sensor in sensors {
            for scenario in scenarios {
                for rate in rates {
                    let runs = seeds.map {
                        PowerSimulator(.init(seed: $0 &* 1000 &+ UInt64(rate), samplingHz: rate, queries: queries,
                                             scenario: scenario, sensor: sensor,
                                             recordsFirstToken: recordsFirstToken)).run()
                    }
                    for contender in contenders {
                        var turns: [Double] = []
                        var spans: [Double] = []
                        var missingTurns = 0
                        var missingSpans = 0
                        var turnCount = 0
                        var spanCount = 0
                        for run in runs {
                            let found = errors(of: contender.metricSet, on: run, spansFromTurns: contender.spansFromTurns)
                            turns += found.turns
                            spans += found.spans
                            missingTurns += found.missingTurns
                            missingSpans += found.missingSpans
                            turnCount += run.truth.count
                            spanCount += run.spanTruth.count
                        }
                        rows.append(Row(
                            label: contender.label, sensor: sensor, recordsFirstToken: recordsFirstToken,
                            samplingHz: rate, scenario: scenario,
                            turns: Errors(turns, rows: turnCount, missing: missingTurns),
                            spans: Errors(spans, rows: spanCount, missing: missingSpans)))
                    }
                }
            }
        }
        return rows
    }

    /// A fraction as a percentage with two decimals (`n/a` when not finite).
    public static func percent(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let hundredths = Int((value * 10_000).rounded())
        let fraction = String(hundredths % 100)
        return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction)%"
    }

    /// The rows as a Markdown table.
    public static func markdown(_ rows: [Row]) -> String {
        var lines = [
            "| sensor | TTFT | scenario | rate | set | turns | without energy | median | p95 | spans | without energy | median | p95 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in rows {
            let t = row.turns
            let s = row.spans
            lines.append(
                "| \(row.sensor.name) | \(row.recordsFirstToken ? "yes" : "no") | \(row.scenario.rawValue) | \(Int(row.samplingHz)) Hz | \(row.label) | \(t.rows) | \(t.withoutEnergy) | \(percent(t.median)) | \(percent(t.p95)) | \(s.rows) | \(s.withoutEnergy) | \(percent(s.median)) | \(percent(s.p95)) |")
        }
        return lines.joined(separator: "\n")
    }
}
