import ArgumentParser
import Foundation
import TraceInterchange
import TraceLog
import TraceRecorder

/// `trace-analyze import EVENTS.jsonl -o LOG.zst`: build a log from JSON Lines;
/// `--from otlp FILE...`: from OpenTelemetry spans in OTLP JSON.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Build a log from JSON Lines events, through the recorder.",
        discussion: """
            Each line is one interchange event (see docs/FORMAT.md): `type`, a time as \
            `t` (decimal seconds since the Unix epoch, converted exactly to nanoseconds) \
            or `t_ns` (integer nanoseconds), and the kind's fields. Blank lines are \
            skipped; lines of unknown types are skipped with a warning. A bad line is \
            reported with its line number and reason, every good line is still written, \
            and the exit status is 1. The run id comes from --run-id, else the first \
            run_start line; without either it is derived from the input's bytes, so \
            importing the same file twice writes identical logs.

            --from otlp reads OpenTelemetry traces in OTLP JSON, one request per line as \
            the Collector's file exporter writes them (plain or zstd-compressed), and maps \
            GenAI spans to queries, inferences and tool calls (docs/FORMAT.md §9). Give a \
            log recorded beside it the same --run-id (trace-record --run-id) and the two \
            analyse together.
            """)

    @Argument(help: ArgumentHelp(
        "JSON Lines file to read (`-` for standard input); with --from otlp, one or more OTLP JSON files.",
        valueName: "events.jsonl"))
    var inputs: [String]

    /// What the input is.
    enum Source: String, ExpressibleByArgument, CaseIterable {
        case jsonl, otlp
    }

    @Option(name: .long, help: ArgumentHelp("What the input is: jsonl (the interchange, the default) or otlp (OTLP JSON spans).",
                                            valueName: "jsonl|otlp"))
    var from: Source = .jsonl

    @Option(name: .customLong("run-id"), help: ArgumentHelp("The run id to write (to join a log recorded with trace-record --run-id).",
                                                            valueName: "id"))
    var runID: String?

    /// The JSON Lines input.
    private var input: String { inputs[0] }

    @Option(name: .shortAndLong, help: ArgumentHelp("Log file to write.", valueName: "log.zst"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Close a segment once it holds this many bytes (uncompressed).", valueName: "n"))
    var segmentBytes: Int = 1 << 20

    func validate() throws {
        if segmentBytes < 256 { throw ValidationError("--segment-bytes must be at least 256.") }
        if inputs.isEmpty { throw ValidationError("Give the file to import.") }
        if from == .jsonl && inputs.count > 1 { throw ValidationError("JSON Lines are imported one file at a time.") }
        if from == .otlp && inputs.contains("-") { throw ValidationError("--from otlp reads files, not standard input.") }
        if let runID, runID.isEmpty { throw ValidationError("--run-id must not be empty.") }
    }

    @OptionGroup var quietOption: QuietOption

    func run() throws {
        if input != "-" { try OutputFile.refuseInput(output, inputs) }
        try OutputFile.requireDirectory(of: output)
        if from == .otlp {
            try importOTLP()
            return
        }
        let report: JSONLinesImporter.Report
        let importer = JSONLinesImporter(inputName: input, segmentBytes: segmentBytes, runID: runID)
        if input == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            report = try data.withUnsafeBytes { raw throws(RecorderError) in try importer.importLines(raw, to: output) }
        } else {
            // Mapped, and given back as the lines are read: memory does not
            // grow with the input.
            guard case .success(let file) = MappedFile.open(input) else {
                throw CommandError("\(input): cannot read the file: \(FileManager.default.fileExists(atPath: input) ? "permission denied" : "no such file")")
            }
            let shown = !quietOption.quiet && ProgressBar.onTerminal
            let progress = ReadingProgress("importing", bytes: file.bytes.count, enabled: shown)
            defer { progress.stop() }
            report = try withExtendedLifetime(file) { () throws(RecorderError) in
                try importer.importLines(file.bytes, to: output) { done in
                    file.release(done)
                    progress.advance(to: done.upperBound)
                }
            }
        }
        let messages = Messages(quiet: quietOption.quiet)
        messages.warnings(report.warnings.map { "\($0)" })
        for error in report.errors.prefix(50) { StandardStreams.err("trace-analyze: error: \(error)\n") }
        if report.errors.count > 50 { StandardStreams.err("trace-analyze: … and \(report.errors.count - 50) more bad lines\n") }
        messages.note("imported \(report.events) events from \(report.lines) lines into \(output)")
        if !report.errors.isEmpty { throw ExitCode(1) }
    }

    private func importOTLP() throws {
        let report = try OTLPImporter(runID: runID, segmentBytes: segmentBytes).importFiles(inputs, to: output)
        let messages = Messages(quiet: quietOption.quiet)
        messages.warnings(report.warnings)
        for error in report.errors.prefix(50) { StandardStreams.err("trace-analyze: error: \(error)\n") }
        if report.errors.count > 50 { StandardStreams.err("trace-analyze: … and \(report.errors.count - 50) more bad lines\n") }
        messages.note("imported \(report.spans) spans (\(report.events) events) from \(report.lines) lines into \(output)")
        if !report.errors.isEmpty { throw ExitCode(1) }
    }
}

/// Reads JSON Lines and records each event through a ``Recorder``.
struct JSONLinesImporter {
    /// The input's name in messages.
    var inputName: String
    /// Segment size for the recorder.
    var segmentBytes: Int
    /// The run id to write, over the input's run_start.
    var runID: String? = nil

    /// What an import did.
    struct Report {
        var lines = 0
        var events = 0
        var warnings: [String] = []
        var errors: [String] = []
    }

    /// Imports the lines of `input` into a log at `path`; `release` is told
    /// each range of bytes a pass has finished with (so a mapped input can
    /// give its pages back). The input is read in two passes (its
    /// fingerprint, then its lines), so the ranges of the second pass start
    /// again from the beginning.
    func importLines(
        _ input: UnsafeRawBufferPointer, to path: String, release: (Range<Int>) -> Void = { _ in }
    ) throws(RecorderError) -> Report {
        var report = Report()
        var decoder = InterchangeDecoder()
        let lines = LineSplitter(input)
        // The run id: from the first run_start line that names one, else a
        // hash of the input. Only lines that mention run_start are decoded.
        var runID = self.runID
        for line in lines where runID == nil && Self.mentionsRunStart(line) {
            if let decoded = try? decoder.decode(line), case .runStart(let start) = decoded.payload {
                runID = start.runID
                if runID != nil { break }
            }
        }
        // The recorder identity is the input's hash too: importing one file
        // twice writes identical logs (harmless repeats), two different
        // files of one run merge.
        let fingerprint = "import-" + Fingerprint.hex(input, release: release)
        let configuration = RecorderConfiguration(
            segmentBytes: segmentBytes, flushInterval: .seconds(86_400 * 365),
            runID: runID ?? fingerprint, anchor: .identity, recorderID: fingerprint)
        let recorder = try Recorder(path: path, configuration: configuration)
        var number = 0
        var released = 0
        for line in lines {
            number += 1
            if number & 4095 == 0, let base = input.baseAddress, let start = line.baseAddress {
                release(released..<(start - base))
                released = start - base
            }
            do throws(InterchangeError) {
                guard let decoded = try decoder.decode(line) else { continue }
                guard let timestamp = decoded.timestamp else {
                    report.errors.append("\(inputName):\(number): missing \"t\" or \"t_ns\"")
                    continue
                }
                recorder.record(decoded.payload, at: timestamp, sender: decoded.senderPID ?? 0)
                report.events += 1
            } catch {
                if case .unknownType = error.reason {
                    report.warnings.append("\(inputName):\(number): \(error.message); line skipped")
                } else {
                    report.errors.append("\(inputName):\(number): \(error)")
                }
            }
        }
        report.lines = number
        release(released..<input.count)
        try recorder.close()
        return report
    }
}

extension JSONLinesImporter {
    /// Whether the line's bytes contain `run_start` (a cheap filter before
    /// decoding it).
    static func mentionsRunStart(_ line: UnsafeRawBufferPointer) -> Bool {
        let needle: [UInt8] = Array("run_start".utf8)
        guard line.count >= needle.count else { return false }
        var i = 0
        while i + needle.count <= line.count {
            if line[i] == 0x72, needle.indices.allSatisfy({ line[i + $0] == needle[$0] }) { return true }
            i += 1
        }
        return false
    }
}

/// Splits bytes into lines at LF, dropping a CR before it.
struct LineSplitter: Sequence {
    let bytes: UnsafeRawBufferPointer
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    struct Iterator: IteratorProtocol {
        let bytes: UnsafeRawBufferPointer
        var position = 0
        mutating func next() -> UnsafeRawBufferPointer? {
            guard position < bytes.count else { return nil }
            let start = position
            // memchr scans many bytes per step; lines are ~150 bytes.
            let base = bytes.baseAddress! + start
            let end = memchr(base, 0x0A, bytes.count - start).map { UnsafeRawPointer($0) - bytes.baseAddress! }
                ?? bytes.count
            position = end + 1
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            return UnsafeRawBufferPointer(rebasing: bytes[start..<lineEnd])
        }
    }

    func makeIterator() -> Iterator { Iterator(bytes: bytes) }
}

/// A short, stable fingerprint of bytes (FNV-1a, 64 bits, hex).
enum Fingerprint {
    /// The fingerprint of `bytes`, read a megabyte at a time; `release` is
    /// told each megabyte's range once the hash has read it.
    static func hex(_ bytes: UnsafeRawBufferPointer, release: (Range<Int>) -> Void = { _ in }) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var start = 0
        while start < bytes.count {
            let end = min(start + (1 << 20), bytes.count)
            for byte in bytes[start..<end] {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            release(start..<end)
            start = end
        }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
