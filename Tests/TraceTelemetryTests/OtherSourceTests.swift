import Foundation
import Testing
import TraceLog
@testable import TraceTelemetry

@Suite("NVML, /proc and synthetic sources")
struct OtherSourceTests {
    @Test("NVML without its library gives a clear message, no crash")
    func nvmlAbsent() throws {
        let error = try #require(throws: TelemetryUnavailable.self) {
            _ = try NVMLSource(libraryName: "libnvidia-ml-absent.so.1")
        }
        #expect(error.source == "nvml")
        #expect(error.message.contains("cannot load libnvidia-ml-absent.so.1"))
        #expect(error.message.contains("no GPU energy is recorded"))
    }

    @Test("/proc: CPU utilisation between readings and the process's RSS")
    func proc() throws {
        let tree = try Fixtures.copy(Fixtures.proc)
        defer { try? FileManager.default.removeItem(atPath: tree) }
        var source = try ProcSource(root: tree, process: { 4242 })
        let first = try #require(source.read(at: 0).first)
        #expect(first.source == "proc")
        #expect(first.cpuUtilizationPercent == nil)
        #expect(first.memoryBytes == Double(12345 * 1024))
        // 1000 more ticks, 250 of them idle or iowait: 75 % busy.
        try Fixtures.write("cpu  1500 20 550 8200 150 10 5 0 0 0\n", to: tree + "/stat")
        let second = try #require(source.read(at: 1).first)
        #expect(second.cpuUtilizationPercent == Double(75))
    }

    @Test("/proc: a process that exited has no memory value")
    func procExited() throws {
        var source = try ProcSource(root: Fixtures.proc, process: { 999_999 })
        #expect(source.read(at: 0).first?.memoryBytes == nil)
        #expect(throws: TelemetryUnavailable.self) { _ = try ProcSource(root: "/nonexistent") }
    }

    @Test("VmRSS parsing")
    func residentBytes() {
        #expect(ProcSource.residentBytes(status: "Name:\tx\nVmRSS:\t  8 kB\n") == Double(8192))
        #expect(ProcSource.residentBytes(status: "Name:\tx\n") == nil)
    }

    @Test("synthetic: plausible power, monotone counters whose rate matches power, reproducible")
    func synthetic() throws {
        var source = SyntheticSource(seed: 7)
        var again = SyntheticSource(seed: 7)
        var previous: (gpu: Double, cpu: Double)?
        var previousPower: (gpu: Double, cpu: Double)?
        for step in 0..<2000 {
            let time = Int64(step) * 50_000_000
            let samples = source.read(at: time)
            #expect(samples == again.read(at: time))
            let gpu = try #require(samples.first { $0.source == "synthetic-gpu0" })
            let cpu = try #require(samples.first { $0.source == "synthetic-cpu-package-0" })
            let gpuJoules = try #require(gpu.gpuEnergyJoules)
            let cpuJoules = try #require(cpu.cpuEnergyJoules)
            let gpuWatts = try #require(gpu.gpuPowerWatts)
            let cpuWatts = try #require(cpu.cpuPowerWatts)
            #expect(gpuWatts >= 59 && gpuWatts <= 351)
            #expect(cpuWatts >= 19 && cpuWatts <= 121)
            if let previous {
                #expect(gpuJoules > previous.gpu)
                #expect(cpuJoules > previous.cpu)
                // Energy over the 50 ms step is this reading's power × 0.05 s.
                #expect(abs((gpuJoules - previous.gpu) - gpuWatts * 0.05) < 1e-6)
            }
            previous = (gpuJoules, cpuJoules)
            previousPower = (gpuWatts, cpuWatts)
        }
        #expect(previousPower != nil)
    }

    @Test("selection: parsing, auto, and sources that cannot open are reported, not fatal")
    func selection() throws {
        #expect(try TelemetrySelection(parsing: "auto").kinds == [.auto])
        #expect(try TelemetrySelection(parsing: "rapl, proc,rapl").kinds == [.rapl, .proc])
        #expect(try TelemetrySelection(parsing: "none").kinds == [])
        let error = try #require(throws: TelemetryUnavailable.self) { _ = try TelemetrySelection(parsing: "rapl,gpu") }
        #expect(error.description.contains("gpu: unknown telemetry source"))

        var environment = TelemetrySelection.Environment()
        environment.powercapRoot = Fixtures.twoPackages
        environment.procRoot = Fixtures.proc
        environment.nvmlLibrary = "libnvidia-ml-absent.so.1"
        let (sources, problems) = try TelemetrySelection(parsing: "auto,synthetic").open(in: environment)
        #expect(sources.map(\.kind) == ["rapl", "proc", "synthetic"])
        #expect(problems.map(\.source) == ["nvml"])
    }
}

@Suite("NVML source against a fake NVML library")
struct FakeNVMLTests {
    private func value(_ source: NVMLSource, _ key: String) -> String? {
        source.labels.first { $0.key == key }?.value
    }

    @Test("instant power where the field exists; the counter's update period, the driver, name and UUID in the labels")
    func instantFieldAndMetadata() throws {
        let path = try FakeNVML.build("instant", defines: ["FAKE_PERIOD_MS=25", "FAKE_FIELDS=1", "FAKE_DRIVER"])
        var source = try NVMLSource(libraryName: path)
        #expect(source.gpus.count == 1)
        #expect(value(source, "gpu0.power") == "instant")
        #expect(value(source, "gpu0.driver") == "555.42.06")
        #expect(value(source, "gpu0.name") == "Fake H100")
        #expect(value(source, "gpu0.uuid") == "GPU-fake-0000")
        let period = try #require(source.gpus[0].energyUpdateMilliseconds)
        #expect(period >= 20 && period <= 30, "measured \(period) ms for 25 ms updates")
        #expect(value(source, "gpu0.energy_update_ms") == NVMLSource.tenths(period))
        let sample = try #require(source.read(at: 0).first)
        #expect(sample.source == "gpu0")
        #expect(sample.gpuPowerWatts == 150, "the instant field, not nvmlDeviceGetPowerUsage's 200 W")
        let joules = try #require(sample.gpuEnergyJoules)
        #expect(joules >= 1000 && (joules * 1000).rounded() == joules * 1000)
    }

    @Test("average power where the fields are not supported or absent; a counter that moves at every read has no period")
    func averageWithoutTheField() throws {
        let unsupported = try FakeNVML.build("unsupported", defines: ["FAKE_PERIOD_MS=0", "FAKE_FIELDS=2"])
        var source = try NVMLSource(libraryName: unsupported)
        #expect(value(source, "gpu0.power") == "average")
        #expect(value(source, "gpu0.energy_update_ms") == nil)
        #expect(value(source, "gpu0.driver") == nil)
        #expect(source.read(at: 0).first?.gpuPowerWatts == 200)

        let absent = try FakeNVML.build("absent", defines: ["FAKE_PERIOD_MS=25"])
        var old = try NVMLSource(libraryName: absent, updatePeriodProbeMilliseconds: 0)
        #expect(value(old, "gpu0.power") == "average")
        #expect(value(old, "gpu0.energy_update_ms") == nil, "no probe asked for")
        #expect(old.read(at: 0).first?.gpuPowerWatts == 200)
    }

    @Test("the labels come in a fixed order, each where known")
    func labelOrder() throws {
        let path = try FakeNVML.build("labels", defines: ["FAKE_PERIOD_MS=25", "FAKE_FIELDS=1", "FAKE_DRIVER"])
        let source = try NVMLSource(libraryName: path)
        let keys = source.labels.map(\.key)
        #expect(keys == ["gpu0.index", "gpu0.uuid", "gpu0.name", "gpu0.driver", "gpu0.power", "gpu0.energy_update_ms"])
    }
}
