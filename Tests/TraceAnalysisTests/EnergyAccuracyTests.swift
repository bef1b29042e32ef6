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
