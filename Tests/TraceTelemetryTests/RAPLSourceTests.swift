import Foundation
import Testing
import TraceLog
@testable import TraceTelemetry

@Suite("RAPL powercap source")
struct RAPLSourceTests {
    @Test("every zone of the fixture tree is found and named after its package")
    func zones() throws {
        let source = try RAPLSource(root: Fixtures.twoPackages)
        #expect(source.zones.map(\.source) == ["cpu-package-0", "cpu-core-0", "dram-0", "cpu-package-1", "dram-1"])
        #expect(source.zones.map(\.directory) == ["intel-rapl:0", "intel-rapl:0:0", "intel-rapl:0:1", "intel-rapl:1", "intel-rapl:1:0"])
        #expect(source.warnings.isEmpty)
        #expect(source.labels.first == Label("rapl.cpu-package-0", "intel-rapl:0"))
    }

    @Test("counters are read in joules, with the wrap range, into the right field")
    func values() throws {
        var source = try RAPLSource(root: Fixtures.twoPackages)
        let samples = source.read(at: 0)
        #expect(samples.count == 5)
        let package0 = try #require(samples.first { $0.source == "cpu-package-0" })
        #expect(package0.cpuEnergyJoules == 123_456.789012)
        #expect(package0.energyWrapJoules == 262_143.32885)
        #expect(package0.dramEnergyJoules == nil)
        let dram0 = try #require(samples.first { $0.source == "dram-0" })
        #expect(dram0.dramEnergyJoules == 4_567.890123)
        #expect(dram0.cpuEnergyJoules == nil)
        #expect(dram0.energyWrapJoules == 65_712.999613)
    }

    @Test("a counter that wraps is recorded raw, and the wrap range recovers the energy")
    func wrap() throws {
        let tree = try Fixtures.copy(Fixtures.twoPackages)
        defer { try? FileManager.default.removeItem(atPath: tree) }
        var source = try RAPLSource(root: tree)
        let before = try #require(source.read(at: 0).first { $0.source == "cpu-package-1" })
        // 262 143 000 000 µJ + 1 000 000 µJ passes the wrap at 262 143 328 850 µJ.
        try Fixtures.write("671150\n", to: tree + "/intel-rapl:1/energy_uj")
        let after = try #require(source.read(at: 1_000_000_000).first { $0.source == "cpu-package-1" })
        let previous = try #require(before.cpuEnergyJoules)
        let current = try #require(after.cpuEnergyJoules)
        #expect(current == 0.67115)
        #expect(current < previous)
        let delta = try #require(EnergyCounter.delta(from: previous, to: current, wrap: after.energyWrapJoules))
        #expect(abs(delta - 1.0) < 1e-6)
        #expect(EnergyCounter.delta(from: previous, to: current, wrap: nil) == nil)
    }

    @Test("unreadable zones are left out with a warning that names the fix")
    func somePermissionDenied() throws {
        let fileSystem = TelemetryFileSystem.denying { $0.hasSuffix("intel-rapl:1/energy_uj") }
        var source = try RAPLSource(root: Fixtures.twoPackages, fileSystem: fileSystem)
        #expect(!source.zones.contains { $0.source == "cpu-package-1" })
        #expect(source.zones.count == 4)
        #expect(source.warnings.count == 1)
        let warning = try #require(source.warnings.first)
        #expect(warning.contains("permission denied"))
        #expect(warning.contains("intel-rapl:1"))
        #expect(warning.contains("sudo chmod o+r"))
        #expect(source.read(at: 0).count == 4)
    }

    @Test("when no zone can be read, opening fails with the fix")
    func allPermissionDenied() throws {
        let fileSystem = TelemetryFileSystem.denying { $0.hasSuffix("/energy_uj") }
        let error = try #require(throws: TelemetryUnavailable.self) {
            _ = try RAPLSource(root: Fixtures.twoPackages, fileSystem: fileSystem)
        }
        #expect(error.source == "rapl")
        #expect(error.message.contains("CVE-2020-8694"))
        #expect(error.message.contains("sudo chmod o+r \(Fixtures.twoPackages)/intel-rapl:*/energy_uj"))
        #expect(error.message.contains("run as root"))
    }

    @Test("a machine without powercap gives a clear message")
    func missingRoot() throws {
        let error = try #require(throws: TelemetryUnavailable.self) {
            _ = try RAPLSource(root: "/nonexistent/powercap")
        }
        #expect(error.description.contains("no powercap interface at /nonexistent/powercap"))
    }

    @Test("a zone whose counter disappears is absent from that reading, not zero")
    func vanishingZone() throws {
        let tree = try Fixtures.copy(Fixtures.twoPackages)
        defer { try? FileManager.default.removeItem(atPath: tree) }
        var source = try RAPLSource(root: tree)
        try FileManager.default.removeItem(atPath: tree + "/intel-rapl:0:0/energy_uj")
        let samples = source.read(at: 0)
        #expect(samples.count == 4)
        #expect(!samples.contains { $0.source == "cpu-core-0" })
    }
}
