import Foundation
import Testing
import TraceLog
import TraceOTLP
import TraceRecorder

@Suite("Clock handshake between two hosts' recorders", .serialized)
struct ClockHandshakeTests {
    /// A collector that records nothing.
    private static let collector = OTLPCollector { _, _ in }

    @Test("against an endpoint whose clock is 40 ms ahead, the offset is -40 ms within half the round trip")
    func offsetOfAClockAhead() throws {
        let ahead: Int64 = 40_000_000
        let server = try OTLPHTTPServer(
            collector: Self.collector,
            clock: ClockEndpoint(host: "gpu-host", runID: "exp7") { MonotonicClock.wallNanoseconds() + ahead })
        defer { server.stop() }
        let measured = try ClockHandshake.measure(peer: "http://127.0.0.1:\(server.port)", exchanges: 8) {
            MonotonicClock.wallNanoseconds()
        }
        #expect(measured.host == "gpu-host" && measured.exchanges == 8)
        #expect(measured.roundTripNanoseconds > 0)
        #expect(abs(measured.offsetNanoseconds + ahead) <= measured.roundTripNanoseconds / 2 + 1_000_000,
                "\(measured.text)")
        // The mark's text reads back to the same measurement.
        #expect(ClockOffsetMark(text: measured.mark.text!) == measured)
        #expect(ClockOffsetMark(.mark(measured.mark)) == measured)
    }

    @Test("an endpoint that is not a clock, a closed port and a malformed address are errors, named")
    func failures() throws {
        let server = try OTLPHTTPServer(collector: Self.collector)
        defer { server.stop() }
        // The endpoint without a clock answers 404.
        #expect {
            try ClockHandshake.measure(peer: "127.0.0.1:\(server.port)") { 0 }
        } throws: { ($0 as? ClockHandshake.Failure)?.description.contains("404") ?? false }
        let port = server.port
        server.stop()
        #expect(throws: ClockHandshake.Failure.self) { try ClockHandshake.measure(peer: "127.0.0.1:\(port)") { 0 } }
        #expect(throws: ClockHandshake.Failure.self) { try ClockHandshake.address("gpu-host") }
        #expect(throws: ClockHandshake.Failure.self) { try ClockHandshake.address("http://gpu-host:99999") }
        #expect(try ClockHandshake.address("http://[::1]:4319/x") == ("::1", "4319"))
        // A clock a century away is refused, not recorded.
        let far = try OTLPHTTPServer(
            collector: Self.collector, clock: ClockEndpoint(host: nil, runID: "r") { Int64.max })
        defer { far.stop() }
        #expect(throws: ClockHandshake.Failure.self) {
            try ClockHandshake.measure(peer: "127.0.0.1:\(far.port)", exchanges: 2) { MonotonicClock.wallNanoseconds() }
        }
    }

    @Test("marks that are not measurements are not read as ones")
    func malformedMarks() {
        #expect(ClockOffsetMark(text: "host=a offset_ns=5 round_trip_ns=-1 exchanges=1 peer=p") == nil)
        #expect(ClockOffsetMark(text: "host=a offset_ns=99999999999999999 round_trip_ns=1 exchanges=1 peer=p") == nil)
        #expect(ClockOffsetMark(text: "host=a offset_ns=x round_trip_ns=1 exchanges=1 peer=p") == nil)
        #expect(ClockOffsetMark(text: "offset_ns=5") == nil)
        #expect(ClockOffsetMark(.mark(Mark(name: "other", text: "host=a offset_ns=5 round_trip_ns=1 exchanges=1 peer=p"))) == nil)
        #expect(ClockOffsetMark(text: "host=- offset_ns=-5 round_trip_ns=1 exchanges=1 peer=p")?.host == nil)
    }

    @Test("trace-record --clock-peer measures a telemetry-only recorder's clock (--otlp-listen) at the command's start and end")
    func endToEnd() throws {
        let gpuLog = TraceRecordBinary.temporaryLog()
        let agentLog = TraceRecordBinary.temporaryLog()
        defer {
            try? FileManager.default.removeItem(atPath: gpuLog)
            try? FileManager.default.removeItem(atPath: agentLog)
        }
        let gpu = Process()
        gpu.executableURL = try TraceRecordBinary.locate()
        gpu.arguments = ["--telemetry-only", "-o", gpuLog, "--run-id", "exp7", "--source", "synthetic",
                         "--otlp-listen", "127.0.0.1:0"]
        let errors = Pipe()
        gpu.standardError = errors
        try gpu.run()
        defer { if gpu.isRunning { kill(gpu.processIdentifier, SIGKILL) } }
        // Its first line names the endpoint.
        var announced = Data()
        while !announced.contains(UInt8(ascii: "\n")) {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            announced += chunk
        }
        let line = String(decoding: announced, as: UTF8.self)
        let endpoint = try #require(line.range(of: "http://127.0.0.1:[0-9]+", options: .regularExpression).map { String(line[$0]) },
                                    "\(line)")

        let agent = try TraceRecordBinary.run(
            ["-o", agentLog, "--run-id", "exp7", "--source", "none", "--clock-peer", endpoint, "--", "sleep", "0.2"])
        #expect(agent.status == 0, "\(agent.standardError)")
        kill(gpu.processIdentifier, SIGINT)
        gpu.waitUntilExit()
        #expect(gpu.terminationStatus == 0)

        let events = LogReader.read([agentLog]).runs.first?.events ?? []
        let measured = events.compactMap { ClockOffsetMark($0.payload) }
        #expect(measured.count == 2, "\(events.map(\.payload))")
        for m in measured {
            // One machine, one clock: the offset is within the round trip.
            #expect(abs(m.offsetNanoseconds) <= m.roundTripNanoseconds + 2_000_000, "\(m.text)")
            #expect(m.peer == endpoint && m.exchanges == 16)
        }
        // A peer that does not answer is reported, and the command still runs.
        let unreachable = try TraceRecordBinary.run(
            ["-o", agentLog, "--force", "--source", "none", "--clock-peer", "127.0.0.1:1", "--", "true"])
        #expect(unreachable.status == 0 && unreachable.standardError.contains("clock handshake with 127.0.0.1:1"),
                "\(unreachable.standardError)")
        let bad = try TraceRecordBinary.run(["-o", agentLog, "--force", "--clock-peer", "gpuhost", "--", "true"])
        #expect(bad.status != 0 && bad.standardError.contains("expected http://HOST:PORT"), "\(bad.standardError)")
    }
}
