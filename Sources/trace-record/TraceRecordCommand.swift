#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import TraceLog
import TraceOTLP
import TraceRecorder
import TraceTelemetry

extension OverloadPolicy: ExpressibleByArgument {}

/// `trace-record`: runs a command while recording its telemetry and the
/// events it sends.
@main
struct TraceRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace-record",
        abstract: "Run a command and record its telemetry and agent events into a log.",
        discussion: """
            The command and its children send events as newline-delimited JSON (the \
            interchange format of `trace-analyze import`) to the Unix socket named in \
            $\(socketVariable); lines without "t" or "t_ns" are stamped on arrival. \
            Telemetry is sampled in the background while the command runs.

            trace-record exits with the command's exit code (128+N when signal N killed \
            it), forwards SIGINT and SIGTERM to it, and closes the log cleanly when it ends. \
            If trace-record itself is killed, the command gets SIGTERM (on Linux; \
            --no-parent-death-signal turns that off).

            An existing log is never overwritten unless --force is given.

            With --telemetry-only no command runs and nothing listens for events: \
            telemetry is sampled until SIGINT or SIGTERM, then the log is closed \
            (exit 0). Record it on the host that serves the model with the agent's \
            run id; `trace-analyze agent.zst gpu.zst` joins the two, and \
            `--clock-offset SOURCE=±MS` puts the host's clock on the run's.

            Clock handshake: give the GPU host's recorder --otlp-listen ADDRESS:PORT \
            and the agent's recorder --clock-peer http://GPUHOST:PORT; the agent's \
            recorder measures the offset between the two clocks when the command \
            starts and when it ends and writes it to its log (a clock_offset mark), \
            and trace-analyze applies it to the GPU host's sources.

            Example:
              trace-record -o run.zst --label model=gpt-4o -- python3 agent.py
              trace-record --telemetry-only -o gpu.zst --run-id exp7 --otlp-listen 0.0.0.0:4319   # GPU host
              trace-record -o agent.zst --run-id exp7 --clock-peer http://gpuhost:4319 -- python3 agent.py
            """,
        version: Recorder.version)

    /// The environment variable that holds the socket's path.
    static let socketVariable = "AGENT_TRACE_SOCKET"

    @Option(name: .shortAndLong, help: ArgumentHelp("The log to write (refused if it exists, unless --force).", valueName: "LOG.zst"))
    var output: String

    @Flag(name: .long, help: "Overwrite the log if it exists (a recording is not something to lose by a typo).")
    var force = false

    @Option(name: .customLong("sample-hz"), help: "Telemetry readings per second.")
    var sampleHz: Double = 20

    @Option(
        name: .customLong("source"),
        help: ArgumentHelp(
            "Telemetry sources, comma-separated: auto (rapl, nvml and proc, those available), synthetic, rapl, nvml, proc, or none.",
            valueName: "auto|synthetic|rapl|nvml|proc,..."))
    var sources: [String] = []

    @Option(name: .customLong("label"), help: ArgumentHelp("A label of the run (repeatable).", valueName: "KEY=VALUE"))
    var labels: [String] = []

    @Flag(name: .shortAndLong, help: "Print what was recorded when the command ends.")
    var verbose = false

    @Flag(name: .long, help: "Print only errors (and lines that could not be recorded): no warnings about telemetry sources.")
    var quiet = false

    @Option(name: .customLong("on-overload"), help: ArgumentHelp(
        "When the disk cannot keep up: block (the default: the socket is read no faster than the log is written) or drop (events are dropped and counted).",
        valueName: "block|drop"))
    var onOverload: OverloadPolicy = .block

    @Option(name: .customLong("run-id"), help: ArgumentHelp(
        "The run id to write (random by default): give logs recorded elsewhere for the same run the same id, and trace-analyze joins them.",
        valueName: "id"))
    var runID: String?

    @Flag(name: .customLong("only-child"), help: ArgumentHelp(
        "Accept query outcomes (query_end) only from the command's own process; others are refused, counted and kept as marks."))
    var onlyChild = false

    @Option(name: .customLong("trusted-pids"), help: ArgumentHelp(
        "Accept query outcomes only from the command's own process and these process ids (comma-separated, repeatable).",
        valueName: "PID,..."))
    var trustedPIDs: [String] = []

    @Flag(name: .customLong("no-otlp"), help: ArgumentHelp(
        "Do not serve the OTLP/HTTP endpoint (by default OpenTelemetry spans sent to it, named in OTEL_EXPORTER_OTLP_ENDPOINT for the command, are recorded)."))
    var noOTLP = false

    @Option(name: .customLong("otlp-listen"), help: ArgumentHelp(
        "Serve the OTLP/HTTP endpoint and the clock endpoint on this address (IP:PORT; default 127.0.0.1 and a free port, OTLP only); with --telemetry-only it is served only when given.",
        valueName: "ADDRESS:PORT"))
    var otlpListen: String?

    @Option(name: .customLong("clock-peer"), help: ArgumentHelp(
        "Measure the clock offset to another host's trace-record (its --otlp-listen) when the command starts and ends, and record it (repeatable).",
        valueName: "http://HOST:PORT"))
    var clockPeers: [String] = []

    @Flag(name: .customLong("no-parent-death-signal"), help: ArgumentHelp(
        "Let the command run on if trace-record is killed (SIGKILL) or crashes; by default it then gets SIGTERM (Linux)."))
    var noParentDeathSignal = false

    @Flag(name: .customLong("telemetry-only"), help: ArgumentHelp(
        "Run no command: sample telemetry until SIGINT or SIGTERM, then close the log (for a GPU host serving the model; give it the agent's --run-id and analyse both logs together)."))
    var telemetryOnly = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command to run, after `--`.", valueName: "COMMAND ARGS"))
    var command: [String] = []

    mutating func validate() throws {
        if telemetryOnly {
            guard command.isEmpty else { throw ValidationError("--telemetry-only runs no command; leave out `-- COMMAND`.") }
        } else {
            guard !command.isEmpty else { throw ValidationError("Give the command to run after `--` (or --telemetry-only).") }
        }
        guard sampleHz.isFinite, sampleHz > 0 else { throw ValidationError("--sample-hz must be a positive number.") }
        if let runID, runID.isEmpty { throw ValidationError("--run-id must not be empty.") }
        for list in trustedPIDs {
            for item in list.split(separator: ",", omittingEmptySubsequences: false) {
                guard let pid = Int32(item.trimmingCharacters(in: .whitespaces)), pid > 0 else {
                    throw ValidationError("--trusted-pids \(list): expected process ids (positive integers), comma-separated.")
                }
                _ = pid
            }
        }
        if let otlpListen {
            guard Self.listenAddress(otlpListen) != nil else {
                throw ValidationError("--otlp-listen \(otlpListen): expected ADDRESS:PORT (an IP address, a port 0-65535).")
            }
            if noOTLP { throw ValidationError("--otlp-listen and --no-otlp contradict each other.") }
        }
        if telemetryOnly, !clockPeers.isEmpty {
            throw ValidationError("--clock-peer is for the recorder beside the agent; give the telemetry-only one --otlp-listen.")
        }
        for peer in clockPeers {
            do { _ = try ClockHandshake.address(peer) } catch {
                throw ValidationError("--clock-peer \(error.description)")
            }
        }
        for label in labels where !label.contains("=") {
            throw ValidationError("--label \(label): expected KEY=VALUE.")
        }
        var info = stat()
        if !force, lstat(output, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
            throw ValidationError("\(output) exists; give another -o, or --force to overwrite it.")
        }
        do {
            _ = try TelemetrySelection(parsing: selectionText)
        } catch {
            throw ValidationError("--source: \(error.description)")
        }
    }

    /// The process ids trusted beside the command's, nil when outcomes are
    /// not restricted.
    private var trustedSenders: [Int32]? {
        guard onlyChild || !trustedPIDs.isEmpty else { return nil }
        return trustedPIDs.flatMap { $0.split(separator: ",").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) } }
    }

    /// The restriction in words, for messages.
    private var trustRule: String {
        trustedPIDs.isEmpty ? "--only-child" : "--trusted-pids \(trustedPIDs.joined(separator: ","))"
    }

    /// The address and port of `ADDRESS:PORT` (`[V6]:PORT` for IPv6).
    static func listenAddress(_ text: String) -> (host: String, port: Int)? {
        ClockHandshake.hostAndPort(Substring(text))
    }

    /// The sources asked for, `auto` when none.
    private var selectionText: String { sources.isEmpty ? "auto" : sources.joined(separator: ",") }

    /// Starts as the recorded command's first step when spawned as one
    /// (``ParentDeathExec``), else as `trace-record`.
    static func main() {
        ParentDeathExec.runIfSelected(CommandLine.arguments)
        main(nil)
    }

    func run() throws {
        Diagnostics.quiet = quiet
        SignalForwarder.blockSignals()
        let session: RecordingSession
        do {
            session = try RecordingSession(
                output: output, sampleHz: sampleHz, selection: try TelemetrySelection(parsing: selectionText),
                labels: labels.map { label in
                    let parts = label.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    return Label(String(parts[0]), String(parts[1]))
                },
                command: command, onOverload: onOverload, parentDeathSignal: !noParentDeathSignal,
                trustedSenders: trustedSenders, trustRule: trustRule, runID: runID,
                otlp: !noOTLP && (!telemetryOnly || otlpListen != nil),
                otlpListen: otlpListen.flatMap(Self.listenAddress), clockPeers: clockPeers,
                telemetryOnly: telemetryOnly)
        } catch {
            Diagnostics.print("trace-record: \(error)")
            throw ExitCode(2)
        }
        let code = session.run(verbose: verbose)
        throw ExitCode(code)
    }
}
