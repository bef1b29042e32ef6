import Testing
@testable import TraceAnalysis
import TraceLog

@Suite("EnergySeries")
struct EnergySeriesTests {
    @Test func interpolatesTheCounterLinearly() throws {
        let series = EnergySeries(source: "gpu0", domain: .gpu, readings: [
            EnergyReading(timestamp: ns(0), counterJoules: 10),
            EnergyReading(timestamp: ns(1), counterJoules: 110),
            EnergyReading(timestamp: ns(2), counterJoules: 310),
        ])
        #expect(series.method == .counter)
        #expect(close(series.cumulativeJoules(at: ns(0.5)), 50))
        #expect(close(series.cumulativeJoules(at: ns(1.5)), 200))
        #expect(close(series.joules(from: ns(0.5), to: ns(1.5)), 150))
        #expect(series.cumulativeJoules(at: ns(2.5)) == nil)
        #expect(close(series.joules(from: ns(-1), to: ns(5)), 300))
        #expect(series.nominalPeriod == ns(1))
    }

    @Test func readingsOutOfOrderAreSorted() {
        let series = EnergySeries(source: "gpu0", domain: .gpu, readings: [
            EnergyReading(timestamp: ns(2), counterJoules: 30),
            EnergyReading(timestamp: ns(0), counterJoules: 10),
            EnergyReading(timestamp: ns(1), counterJoules: 20),
        ])
        #expect(series.times == [ns(0), ns(1), ns(2)])
        #expect(close(series.totalJoules, 20))
    }

    @Test func unwrapsByTheDeclaredRange() {
        let series = EnergySeries(source: "cpu-package-0", domain: .cpu, readings: [
            EnergyReading(timestamp: ns(0), counterJoules: 200, wrapJoules: 262.144),
            EnergyReading(timestamp: ns(1), counterJoules: 250, wrapJoules: 262.144),
            EnergyReading(timestamp: ns(2), counterJoules: 37.856, wrapJoules: 262.144),
        ])
        #expect(series.counterWraps == 1)
        #expect(series.counterResets == 0)
        #expect(close(series.intervalJoules[1], 50))
        #expect(close(series.totalJoules, 100))
        let clean = series.intervalFlags.allSatisfy { $0.isEmpty }
        #expect(clean)
    }

    @Test func resetRestartsFromTheNewValue() {
        let series = EnergySeries(source: "gpu0", domain: .gpu, readings: [
            EnergyReading(timestamp: ns(0), counterJoules: 5000),
            EnergyReading(timestamp: ns(1), counterJoules: 5100),
            EnergyReading(timestamp: ns(2), counterJoules: 20),
            EnergyReading(timestamp: ns(3), counterJoules: 120),
        ])
        #expect(series.counterResets == 1)
        #expect(series.intervalJoules == [100, 0, 100])
        #expect(series.intervalFlags[1].contains(.counterReset))
        #expect(!series.intervalFlags[2].contains(.counterReset))
    }

    @Test func resetIntervalIsEstimatedFromPower() {
        let series = EnergySeries(source: "gpu0", domain: .gpu, readings: [
            EnergyReading(timestamp: ns(0), counterJoules: 5000, powerWatts: 100),
            EnergyReading(timestamp: ns(1), counterJoules: 20, powerWatts: 300),
            EnergyReading(timestamp: ns(2), counterJoules: 320, powerWatts: 300),
        ])
        #expect(close(series.intervalJoules[0], 200))
        #expect(close(series.totalJoules, 500))
    }

    @Test func skipsSentinelsAndNonFiniteValues() {
        let series = EnergySeries(source: "gpu0", domain: .gpu, readings: [
            EnergyReading(timestamp: ns(0), counterJoules: 100, powerWatts: -1),
            EnergyReading(timestamp: ns(1), counterJoules: -1),
            EnergyReading(timestamp: ns(2), counterJoules: .nan, powerWatts: .infinity),
            EnergyReading(timestamp: ns(3), counterJoules: .infinity),
            EnergyReading(timestamp: ns(4), counterJoules: -.infinity),
            EnergyReading(timestamp: ns(5), counterJoules: 150),
        ])
        #expect(series.skippedValues == 6)
        #expect(series.counterResets == 0)
        #expect(series.times == [ns(0), ns(5)])
        #expect(close(series.totalJoules, 50))
        #expect(close(series.cumulativeJoules(at: ns(1)), 10))
    }

    @Test func integratesPowerWhenThereIsNoCounter() {
        let series = EnergySeries(source: "gpu0", domain: .gpu, readings: [
            EnergyReading(timestamp: ns(0), powerWatts: 100),
            EnergyReading(timestamp: ns(1), powerWatts: 200),
            EnergyReading(timestamp: ns(2), counterJoules: .nan, powerWatts: .nan),
            EnergyReading(timestamp: ns(3), powerWatts: 200),
        ])
        #expect(series.method == .powerIntegration)
        #expect(close(series.totalJoules, 150 + 400))
        // Power rises linearly over the first second: ∫₀^½ (100 + 100t) dt = 62.5.
        #expect(close(series.cumulativeJoules(at: ns(0.5)), 62.5))
        let integrated = series.intervalFlags.allSatisfy { $0.contains(.powerIntegrated) }
        #expect(integrated)
        #expect(series.intervalFlags[1].contains(.longGapInterpolated) == false)
    }

    @Test func powerReadingsShapeTheIntervalWithoutChangingItsEnergy() {
        let readings = [
            EnergyReading(timestamp: ns(0), counterJoules: 0, powerWatts: 100),
            EnergyReading(timestamp: ns(1), counterJoules: 250, powerWatts: 400),
        ]
        let shaped = EnergySeries(source: "gpu0", domain: .gpu, readings: readings)
        // Mean 250 W between 100 and 400 W: a step at the middle of the interval.
        #expect(close(shaped.cumulativeJoules(at: ns(0.25)), 25))
        #expect(close(shaped.cumulativeJoules(at: ns(0.5)), 50))
        #expect(close(shaped.cumulativeJoules(at: ns(0.75)), 150))
        #expect(close(shaped.totalJoules, 250))
        let linear = EnergySeries(source: "gpu0", domain: .gpu, readings: readings, options: .init(shape: .linear))
        #expect(close(linear.cumulativeJoules(at: ns(0.5)), 125))

        // Mean outside the two readings: a ramp scaled to the counter delta.
        let ramp = EnergySeries(source: "gpu0", domain: .gpu, readings: [
            EnergyReading(timestamp: ns(0), counterJoules: 0, powerWatts: 100),
            EnergyReading(timestamp: ns(1), counterJoules: 600, powerWatts: 300),
        ])
        #expect(close(ramp.cumulativeJoules(at: ns(0.5)), 600 * (50 + 25) / 200))
        #expect(close(ramp.totalJoules, 600))
    }

    @Test func flagsLongGaps() {
        let series = EnergySeries(source: "gpu0", domain: .gpu, readings: [0.0, 1, 2, 3, 10, 11].map {
            EnergyReading(timestamp: ns($0), counterJoules: $0 * 10)
        })
        #expect(series.nominalPeriod == ns(1))
        #expect(series.intervalFlags.map { $0.contains(.longGapInterpolated) } == [false, false, false, true, false])
    }

    @Test func singleUsableReadingGivesNoSeries() {
        let series = EnergySeries(source: "gpu0", domain: .gpu, readings: [
            EnergyReading(timestamp: ns(0), counterJoules: 5, powerWatts: 10),
            EnergyReading(timestamp: ns(0), counterJoules: 7),
        ])
        #expect(series.method == .counter || series.method == nil)
        #expect(series.coverage == nil)
        #expect(series.joules(from: 0, to: ns(1)) == nil)
    }

    @Test func seriesFromEventsKeepDomainsAndSourcesApart() {
        func sample(_ t: Double, _ source: String, gpu: Double?, cpu: Double?, dram: Double? = nil, seq: UInt64) -> TraceEvent {
            TraceEvent(runID: "r", sequence: seq, timestamp: ns(t), payload: .sample(TelemetrySample(
                source: source, gpuEnergyJoules: gpu, cpuEnergyJoules: cpu, dramEnergyJoules: dram)))
        }
        let events = [
            sample(0, "gpu1", gpu: 0, cpu: nil, seq: 0),
            sample(0, "gpu0", gpu: 0, cpu: nil, seq: 1),
            sample(0, "host", gpu: nil, cpu: 0, dram: 0, seq: 2),
            sample(1, "gpu0", gpu: 10, cpu: nil, seq: 3),
            sample(1, "gpu1", gpu: 20, cpu: nil, seq: 4),
            sample(1, "host", gpu: nil, cpu: 5, dram: 1, seq: 5),
        ]
        let series = EnergySeries.series(from: events)
        #expect(series.map { "\($0.domain.rawValue)/\($0.source)" } == ["gpu/gpu0", "gpu/gpu1", "cpu/host", "dram/host"])
        #expect(series.map(\.totalJoules) == [10, 20, 5, 1])
    }
}
