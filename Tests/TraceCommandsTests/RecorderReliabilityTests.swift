import Foundation
import Testing
import TraceLog

/// The recorder under a full disk and under SIGKILL, run as separate
/// processes (`stress-recorder`, built by `swift build`).
@Suite struct RecorderReliabilityTests {
    static let stressRecorder = traceAnalyzeBinary.deletingLastPathComponent().appendingPathComponent("stress-recorder")

    @Test func aDiskThatFillsPartWayLeavesALogValidUpToItsLastCompleteSegment() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.stressRecorder.path) else {
            Issue.record("\(Self.stressRecorder.path) is not built (swift build)")
            return
        }
        // RLIMIT_FSIZE of 20000 bytes, SIGXFSZ ignored: writes past it fail
        // with EFBIG part-way through a frame, as they would with ENOSPC.
        let log = temporaryDirectory().appendingPathComponent("full.zst").path
        let limit = 20_000
        let result = try runProcess(Self.stressRecorder, ["fill", log, String(limit), "20000"])
        // The host program ran to its end, and learnt of the failure through the API.
        #expect(result.status == 0, "\(result.stderr)")
        let fields = Dictionary(uniqueKeysWithValues: result.stdout.split(separator: " ").prefix(4).map {
            let pair = $0.split(separator: "=")
            return (String(pair[0]), Int(pair[1]) ?? -1)
        })
        let written = try #require(fields["segmentsWritten"]), lost = try #require(fields["segmentsLost"])
        #expect(try #require(fields["flushErrors"]) > 0)
        #expect(written > 0 && lost > 0)
        #expect(fields["events"] == 20_010)
        #expect(result.stdout.contains("error=\(log): write failed: File too large"))
        // The file stops at the end of its last complete frame: intact, and
        // every segment in it is whole.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
        #expect(size <= limit)
        let read = LogReader.read([log])
        #expect(read.isIntact, "\(read.diagnostics)")
        #expect(read.files.first?.segments.count == written)
        let numbers = read.runs.first?.events.compactMap { e -> Int? in
            if case .mark(let m) = e.payload { Int(m.text ?? "") } else { nil }
        } ?? []
        // What is there is a prefix of what was recorded (later segments
        // may fit in the space left, and are whole too).
        #expect(numbers.count > 0 && numbers.prefix(100) == Array(0..<100)[...])
        #expect(numbers == numbers.sorted())
        if let status = zstdTest(log) { #expect(status == 0) }
    }

    @Test func aRecordingKilledAtRandomMomentsKeepsAllButItsLastFlushInterval() throws {
        let script = repositoryRoot.appendingPathComponent("tools/crash-recovery.sh")
        // One round with a short flush interval and a modest rate, a few
        // seconds (.ci/run runs more rounds at the default settings).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, "1"]
        var environment = ProcessInfo.processInfo.environment
        environment["BIN"] = traceAnalyzeBinary.deletingLastPathComponent().path
        environment["RATE"] = "10000"
        environment["FLUSH_MS"] = "200"
        environment["MAX_MS"] = "900"
        environment["BOUND_MS"] = "600"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
    }
}

/// `zstd -t` on `path`, or nil when zstd is not installed.
func zstdTest(_ path: String) -> Int32? {
    let zstd = URL(fileURLWithPath: "/usr/bin/zstd")
    guard FileManager.default.isExecutableFile(atPath: zstd.path) else { return nil }
    return try? runProcess(zstd, ["-q", "-t", path]).status
}
