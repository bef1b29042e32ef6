#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import TraceLog
import TraceOTLP
import TraceRecorder
import TraceTelemetry

/// One `trace-record` run: the recorder, the sampler, the event socket and
/// the child, started in that order and stopped in reverse.
final class RecordingSession {
    private let recorder: Recorder
    private let anchor: ClockAnchor
    private let sampler: TelemetrySampler
    /// The event socket; nil with `--telemetry-only`.
    private let server: EventServer?
    private let command: [String]
    private let childPID = ProcessID()
    private let signals = SignalForwarder()
    private let parentDeathSignal: Bool
    private let collector: OTLPCollector?
    private let otlpServer: OTLPHTTPServer?
    /// The other hosts' clock endpoints to measure the offset to.
    private let clockPeers: [String]

    /// Opens the log, writes the run start, opens the telemetry sources and
    /// the socket. Sources that cannot be opened are reported and left out.
    init(
        output: String, sampleHz: Double, selection: TelemetrySelection, labels: [Label], command: [String],
        onOverload: OverloadPolicy = .block, parentDeathSignal: Bool = true, trustedSenders: [Int32]? = nil,
        trustRule: String = "", runID: String? = nil, otlp: Bool = true,
        otlpListen: (host: String, port: Int)? = nil, clockPeers: [String] = [], telemetryOnly: Bool = false
    ) throws {
        self.clockPeers = clockPeers
        self.parentDeathSignal = parentDeathSignal
        // The socket's directory first: a failure here leaves the output as it was.
        let socketDirectory = try EventServer.makePrivateDirectory()
        anchor = MonotonicClock.anchor()
        do {
            var configuration = RecorderConfiguration(
                anchor: anchor, errorHandler: { error in Diagnostics.print("trace-record: \(error)") })
            configuration.onOverload = onOverload
            configuration.runID = runID
            configuration.lagHandler = { lag in Diagnostics.print("trace-record: \(lag)") }
            recorder = try Recorder(path: output, configuration: configuration)
        } catch {
            rmdir(socketDirectory)
            throw error
        }
        self.command = command

        var environment = TelemetrySelection.Environment()
        let child = childPID
        environment.process = {
            let pid = child.value.load(ordering: .acquiring)
            return pid > 0 ? pid : nil
        }
        let (sources, problems) = selection.open(in: environment)
        for problem in problems {
            Diagnostics.warn("trace-record: \(problem); recording without it")
        }
        for source in sources {
            for warning in source.warnings { Diagnostics.warn("trace-record: \(source.kind): \(warning)") }
        }
        var runLabels = labels
        if telemetryOnly {
            // Read by the analysis: this recorder's sources are another
            // host's, whose clock may differ from the spans'.
            runLabels.append(Label("recording", "telemetry_only"))
        } else {
            runLabels.append(Label("command", command.joined(separator: " ")))
        }
        runLabels.append(Label("telemetry", sources.map(\.kind).joined(separator: ",")))
        runLabels += sources.flatMap(\.labels)
        recorder.record(
            .runStart(
                RunStart(runID: recorder.runID, host: Self.hostName(), recorderVersion: Recorder.version, labels: runLabels)))

        sampler = TelemetrySampler(sources: sources, recorder: recorder, rate: sampleHz)
        let trust = trustedSenders.map { SenderTrust(onlyChildAnd: $0, rule: trustRule, child: child) }
            ?? .everyone(child: child)
        if telemetryOnly {
            rmdir(socketDirectory)
            server = nil
        } else {
            server = try EventServer(directory: socketDirectory, recorder: recorder, anchor: anchor, trust: trust)
        }
        if otlp {
            let recorder = recorder, anchor = recorder.anchor
            let collector = OTLPCollector { wall, payload in
                recorder.record(payload, at: anchor.monotonic(wall: wall))
            }
            self.collector = collector
            let clock = ClockEndpoint(host: Self.hostName(), runID: recorder.runID) { Self.wallNow(anchor) }
            do {
                if let otlpListen {
                    otlpServer = try OTLPHTTPServer(collector: collector, host: otlpListen.host, port: otlpListen.port, clock: clock)
                } else {
                    otlpServer = try OTLPHTTPServer(collector: collector, clock: clock)
                }
            } catch {
                if let otlpListen {
                    Diagnostics.print("trace-record: cannot listen on \(otlpListen.host):\(otlpListen.port) (\(error)); "
                        + "recording without the OTLP and clock endpoint (no other host can measure its clock offset)")
                } else {
                    Diagnostics.warn("trace-record: cannot serve the OTLP endpoint (\(error)); recording without it")
                }
                otlpServer = nil
            }
            if let otlpServer, let otlpListen {
                let host = otlpListen.host.contains(":") ? "[\(otlpListen.host)]" : otlpListen.host
                Diagnostics.print("trace-record: OTLP/HTTP and clock endpoint on http://\(host):\(otlpServer.port)")
            }
        } else {
            collector = nil
            otlpServer = nil
        }
    }

    /// Runs the command to its end, then stops everything and closes the
    /// log. Returns the exit code `trace-record` exits with.
    func run(verbose: Bool) -> Int32 {
        sampler.start()
        guard let server else { return runTelemetryOnly(verbose: verbose) }
        let code: Int32
        do {
            var environment = [TraceRecordCommand.socketVariable: server.path]
            if let otlpServer {
                // OpenTelemetry SDKs export here, unless the user chose otherwise.
                let base = "http://127.0.0.1:\(otlpServer.port)"
                for (name, value) in [
                    ("OTEL_EXPORTER_OTLP_ENDPOINT", base), ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", base + "/v1/traces"),
                    ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                    ("OTEL_SEMCONV_STABILITY_OPT_IN", "gen_ai_latest_experimental"),
                ] where getenv(name) == nil {
                    environment[name] = value
                }
            }
            measureClocks()
            let child = try ChildProcess(
                arguments: command, environment: environment, parentDeathSignal: parentDeathSignal)
            childPID.value.store(child.pid, ordering: .releasing)
            signals.forward(to: child.pid)
            code = child.wait()
            recorder.record(.mark(Mark(name: "command_exit", text: Self.describe(exitCode: code))))
            measureClocks()
        } catch {
            Diagnostics.print("trace-record: \(error)")
            recorder.record(.mark(Mark(name: "command_exit", text: "\(error)")))
            code = error.code == ENOENT ? 127 : 126
        }
        server.stop()
        otlpServer?.stop()
        collector?.finish()
        sampler.stop()
        var closeFailed = false
        do {
            try recorder.close()
        } catch {
            Diagnostics.print("trace-record: closing \(recorder.path): \(error)")
            closeFailed = true
        }
        if let report = server.malformed.report() { Diagnostics.print(report) }
        if let report = server.refusalReport() { Diagnostics.print(report) }
        if let report = server.trust.report() { Diagnostics.print(report) }
        if let report = collector?.report() { Diagnostics.print(report) }
        let dropped = recorder.statistics.overloadDroppedEvents
        if dropped > 0 {
            Diagnostics.print("trace-record: \(dropped) event\(dropped == 1 ? "" : "s") dropped: the disk did not keep up (--on-overload drop)")
        }
        if verbose {
            let (connections, events) = server.statistics
            let stats = recorder.statistics
            Diagnostics.print(
                "trace-record: \(events) events from \(connections) connection\(connections == 1 ? "" : "s"), "
                    + "\(sampler.statistics.samples) telemetry samples; \(stats.events) records, "
                    + "\(stats.fileBytes) bytes in \(recorder.path); \(Self.describe(exitCode: code))")
        }
        if closeFailed && code == 0 { return 1 }
        return code
    }

    /// `--telemetry-only`: samples until SIGINT, SIGTERM or SIGHUP, then
    /// closes the log. Returns 0, or 1 when the log could not be closed.
    private func runTelemetryOnly(verbose: Bool) -> Int32 {
        let stops: Set<Int32> = [SIGINT, SIGTERM, SIGHUP]
        while !stops.contains(signals.received.load(ordering: .acquiring)) {
            usleep(20_000)
        }
        sampler.stop()
        recorder.record(.mark(Mark(name: "telemetry_stop", text: "signal \(signals.received.load(ordering: .acquiring))")))
        do {
            try recorder.close()
        } catch {
            Diagnostics.print("trace-record: closing \(recorder.path): \(error)")
            return 1
        }
        if verbose {
            let stats = recorder.statistics
            Diagnostics.print(
                "trace-record: \(sampler.statistics.samples) telemetry samples; \(stats.events) records, "
                    + "\(stats.fileBytes) bytes in \(recorder.path)")
        }
        return 0
    }

    /// The recorder's wall-clock time now, as its records are stamped.
    static func wallNow(_ anchor: ClockAnchor) -> Int64 {
        anchor.wall(monotonic: MonotonicClock.nanoseconds())
    }

    /// Measures the offset to every `--clock-peer` and records it (a
    /// `clock_offset` mark); a peer that cannot be reached is reported.
    private func measureClocks() {
        let anchor = recorder.anchor
        for peer in clockPeers {
            do {
                let measured = try ClockHandshake.measure(peer: peer) { Self.wallNow(anchor) }
                recorder.record(.mark(measured.mark))
            } catch {
                Diagnostics.warn("trace-record: clock handshake with \(peer): \(error.description); the offset is not recorded")
            }
        }
    }

    /// `exit 3`, or `killed by signal 9` for 128 + 9.
    static func describe(exitCode code: Int32) -> String {
        code > 128 ? "exit \(code) (killed by signal \(code - 128))" : "exit \(code)"
    }

    /// The machine's host name.
    static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// A process id shared between threads (0 until known).
final class ProcessID: Sendable {
    /// The id.
    let value = Atomic<Int32>(0)
}
