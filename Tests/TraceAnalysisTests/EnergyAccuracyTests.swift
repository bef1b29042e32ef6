import EnergySimulation
import Testing
import TraceAnalysis

@Suite("Energy accuracy against the simulator")
struct EnergyAccuracyTests {
    private func rows(_ rate: Double) -> [AccuracyStudy.Row] {
        AccuracyStudy.run(contenders: [AccuracyStudy.Contender(label: "default", metricSet: DefaultMetricSet())],
                          sensors: [.ideal], rates: [rate], seeds: [7, 8], queries: 12)
    }

    @Test func tenHertz() {
        for row in rows(10) {
            #expect(row.turns.withoutEnergy == 0)
            #expect(row.turns.median <= 0.01, "\(row.scenario) median \(row.turns.median)")
            #expect(row.turns.p95 <= 0.05, "\(row.scenario) p95 \(row.turns.p95)")
        }
    }

    @Test func twentyHertz() {
        for row in rows(20) {
            #expect(row.turns.withoutEnergy == 0)
            #expect(row.turns.median <= 0.005, "\(row.scenario) median \(row.turns.median)")
            #expect(row.turns.p95 <= 0.02, "\(row.scenario) p95 \(row.turns.p95)")
        }
    }

    @Test func oneHertz() {
        for row in rows(1) {
            #expect(row.turns.rows > 0)
            #expect(row.turns.withoutEnergy == 0)
            #expect(row.turns.median <= 0.05, "\(row.scenario) median \(row.turns.median)")
        }
    }

    /// default@2 and default@3 on the NVML-like sensor (100 ms counter
    /// updates ± 10 %, millijoules, 1 s averaged power), small inputs.
    private func sensorRows(_ rate: Double) -> [AccuracyStudy.Row] {
        AccuracyStudy.run(contenders: Array(AccuracyStudy.Contender.all.prefix(2)), sensors: [.nvmlTypical],
                          rates: [rate], seeds: [7, 8, 9], queries: 15)
    }

    @Test("the sensor model: 20 Hz on an NVML-like sensor")
    func sensorModelTwentyHertz() {
        let rows = sensorRows(20)
        for row in rows where row.label == "default@3" {
            #expect(row.turns.withoutEnergy == 0 && row.spans.withoutEnergy == 0)
            #expect(row.turns.median <= 0.004, "\(row.scenario) turn median \(row.turns.median)")
            #expect(row.spans.median <= 0.01, "\(row.scenario) span median \(row.spans.median)")
            #expect(row.spans.p95 <= 0.06, "\(row.scenario) span p95 \(row.spans.p95)")
        }
        // Version 3 beats version 2 on the spans in every layout.
        for scenario in PowerSimulator.Scenario.allCases {
            let old = rows.first { $0.label == "default@2" && $0.scenario == scenario }!
            let new = rows.first { $0.label == "default@3" && $0.scenario == scenario }!
            #expect(new.spans.median < old.spans.median && new.spans.p95 < old.spans.p95, "\(scenario)")
        }
    }

    @Test("a recorded time to first token places prefill: overlapping queries at 20 Hz on an NVML-like sensor")
    func firstTokenSharpensTheSplit() {
        func row(_ recorded: Bool) -> AccuracyStudy.Row {
            AccuracyStudy.run(contenders: [AccuracyStudy.Contender.all[1]], sensors: [.nvmlTypical], rates: [20],
                              scenarios: [.overlapping], seeds: [7, 8, 9], queries: 15, recordsFirstToken: recorded)[0]
        }
        let with = row(true)
        let without = row(false)
        #expect(with.label == "default@3")
        #expect(with.turns.withoutEnergy == 0 && with.spans.withoutEnergy == 0)
        #expect(with.turns.median <= 0.003 && with.turns.p95 <= 0.02, "turns \(with.turns.median) \(with.turns.p95)")
        #expect(with.spans.median <= 0.01 && with.spans.p95 <= 0.05, "spans \(with.spans.median) \(with.spans.p95)")
        #expect(with.turns.p95 < without.turns.p95 && with.spans.p95 < without.spans.p95)
    }

    @Test("the sensor model: 1 Hz on an NVML-like sensor gives every row energy")
    func sensorModelOneHertz() {
        for row in sensorRows(1) where row.label == "default@3" {
            #expect(row.turns.withoutEnergy == 0 && row.spans.withoutEnergy == 0)
            #expect(row.turns.median <= 0.03, "\(row.scenario) turn median \(row.turns.median)")
            #expect(row.spans.median <= 0.06, "\(row.scenario) span median \(row.spans.median)")
        }
    }

    @Test("the sensor model changes nothing on an ideal sensor")
    func sensorModelOnAnIdealSensor() {
        let rows = AccuracyStudy.run(contenders: Array(AccuracyStudy.Contender.all.prefix(2)), sensors: [.ideal],
                                     rates: [10], seeds: [7], queries: 10)
        for scenario in PowerSimulator.Scenario.allCases {
            let old = rows.first { $0.label == "default@2" && $0.scenario == scenario }!
            let new = rows.first { $0.label == "default@3" && $0.scenario == scenario }!
            #expect(old.turns.median == new.turns.median && old.spans.p95 == new.spans.p95)
        }
    }

    @Test func simulatedRunsConserveUnderTheDefaultSet() {
        let run = PowerSimulator(.init(seed: 3, samplingHz: 10, queries: 8, scenario: .overlapping)).run()
        let result = DefaultMetricSet().analyze(RunEvents(runID: "sim", events: run.events))
        let runRow = result.runs[0]
        let device = runRow["gpu_energy_joules"]!.doubleValue!
        let attributed = result.queries.compactMap { $0["total_gpu_energy_joules"]?.doubleValue }.reduce(0, +)
        let idle = runRow["gpu_idle_joules"]!.doubleValue!
        #expect(abs(device - attributed - idle) <= 1e-9 * device)
        // Ground truth over the union of query windows equals the attributed total.
        let truth = run.truth.map(\.joules).reduce(0, +)
        #expect(abs(truth - attributed) / truth < 0.01)
    }
}
